package io.capabilityexporter.expected;

import java.util.Optional;

/** The pods the expected rules may ask about: this node's, from the API server. */
@FunctionalInterface
public interface PodLookup {

  /** Empty for an unknown pod, and always outside Kubernetes. */
  Optional<PodFacts> pod(String namespace, String name);

  /** Outside Kubernetes. */
  PodLookup NONE = (namespace, name) -> Optional.empty();
}
