package io.capabilityexporter.domain;

import java.util.Optional;

/** The pods a feature may ask about: this node's, from the API server. */
@FunctionalInterface
public interface PodLookup {

  /** Empty for an unknown pod, and always outside Kubernetes. */
  Optional<PodFacts> pod(String namespace, String name);

  /** Outside Kubernetes. */
  PodLookup NONE = (namespace, name) -> Optional.empty();
}
