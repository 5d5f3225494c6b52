package io.capabilityexporter.profiles;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workload's profile: {@code shop Deployment/cart} in Kubernetes; outside it, namespace empty and
 * kind {@value #CONTAINER}, {@value #SYSTEMD_UNIT} or {@value #CGROUP}.
 *
 * @param kind the owning workload's kind ({@code Deployment}, {@code CronJob}...; {@code Pod} for a
 *     bare pod)
 * @param containers by container name
 */
public record WorkloadProfile(
    String namespace,
    String kind,
    String name,
    Instant firstSeen,
    Instant lastSeen,
    List<ContainerProfile> containers) {

  /** Outside Kubernetes: a Docker, containerd or Podman container. */
  public static final String CONTAINER = "Container";

  /** Outside Kubernetes: a systemd unit ({@code cron.service}). */
  public static final String SYSTEMD_UNIT = "SystemdUnit";

  /** Outside Kubernetes: a cgroup that is neither ({@code /demo}). */
  public static final String CGROUP = "Cgroup";

  public WorkloadProfile {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    containers = List.copyOf(containers);
  }

  /** Outside Kubernetes the namespace is empty; a pod's never is. */
  public boolean kubernetes() {
    return !namespace.isEmpty();
  }

  /** {@code shop Deployment/cart}, or {@code SystemdUnit/cron.service} outside Kubernetes. */
  public String title() {
    return (kubernetes() ? namespace + " " : "") + kind + "/" + name;
  }
}
