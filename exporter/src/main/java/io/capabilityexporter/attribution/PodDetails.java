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
 * @param ownUserNamespace the pod runs in a user namespace of its own ({@code hostUsers: false})
 */
public record PodDetails(
    String uid,
    String ownerKind,
    String ownerName,
    String containerId,
    String image,
    boolean ownUserNamespace) {
  public PodDetails {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(ownerKind, "ownerKind");
    Objects.requireNonNull(ownerName, "ownerName");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(image, "image");
  }

  /** A pod in the host's user namespace. */
  public PodDetails(
      String uid, String ownerKind, String ownerName, String containerId, String image) {
    this(uid, ownerKind, ownerName, containerId, image, false);
  }

  /**
   * The depth of the container's own user namespace: 1 for a pod with {@code hostUsers: false},
   * else 0 (the host's). A check against a deeper one is against a namespace the workload made.
   */
  public int usernsLevel() {
    return ownUserNamespace ? 1 : 0;
  }
}
