package io.capabilityexporter.domain;

import java.util.Objects;

/**
 * Who made a capability check: the values of the {@code namespace}, {@code pod} and {@code
 * container} labels. Outside Kubernetes namespace and pod are empty and container names the
 * container or systemd unit.
 */
public record Workload(String namespace, String pod, String container) {

  /** The host itself: the root cgroup. */
  public static final Workload HOST = new Workload("", "", "");

  /** A cgroup that could not be resolved (gone before it was seen, or unreadable). */
  public static final Workload UNKNOWN = new Workload("", "", "(unknown)");

  /** Checks counted while the kernel's counts map was full, so without their cgroup. */
  public static final Workload OVERFLOW = new Workload("", "", "(overflow)");

  public Workload {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(container, "container");
  }

  public static Workload container(String container) {
    return new Workload("", "", container);
  }
}
