package io.capabilityexporter.profiles;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workload's profile: {@code shop Deployment/cart} in Kubernetes; outside it, namespace empty and
 * kind {@value #PODMAN_CONTAINER}, {@value #DOCKER_CONTAINER}, {@value #CONTAINER}, {@value
 * #SYSTEMD_UNIT} or {@value #CGROUP}.
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

  /** Outside Kubernetes: a Podman container. */
  public static final String PODMAN_CONTAINER = "PodmanContainer";

  /** Outside Kubernetes: a Docker container. */
  public static final String DOCKER_CONTAINER = "DockerContainer";

  /** Outside Kubernetes: a container of another engine (containerd's {@code ctr}, CRI-O). */
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
