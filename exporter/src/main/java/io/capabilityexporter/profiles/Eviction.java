package io.capabilityexporter.profiles;

import java.time.Instant;
import java.util.Objects;

/**
 * A workload's profile let go to stay within {@code --profiles.max-workloads}: named, so that a
 * reader knows what is missing.
 */
public record Eviction(String namespace, String kind, String name, Instant at) {
  public Eviction {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(at, "at");
  }

  /** {@code shop Deployment/cart}, or {@code Cgroup//job-17} outside Kubernetes. */
  public String title() {
    return (namespace.isEmpty() ? "" : namespace + " ") + kind + "/" + name;
  }
}
