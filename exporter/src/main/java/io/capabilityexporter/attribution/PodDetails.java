package io.capabilityexporter.attribution;

import java.util.Objects;

/**
 * What else is known of a check's pod and container, beyond the metric labels: for log records and
 * profiles, where they cost no series.
 *
 * @param uid the pod's uid
 * @param ownerKind the owning workload's kind: {@code Deployment}, {@code StatefulSet}, {@code
 *     DaemonSet}, {@code Job}, {@code CronJob}, {@code ReplicaSet}..., or {@code Pod} for a bare
 *     pod
 * @param ownerName the owning workload's name
 * @param containerId the runtime's container id (64 hex digits), empty for the pod's sandbox
 * @param image the container's image as the pod spec names it
 */
public record PodDetails(
    String uid, String ownerKind, String ownerName, String containerId, String image) {
  public PodDetails {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(ownerKind, "ownerKind");
    Objects.requireNonNull(ownerName, "ownerName");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(image, "image");
  }
}
