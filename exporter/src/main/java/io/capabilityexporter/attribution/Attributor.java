package io.capabilityexporter.attribution;

import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the kernel's cgroup id (cgroup v2 inode number, as {@code bpf_get_current_cgroup_id()}
 * returns it) to the workload that owns it. The host implementation resolves containers and systemd
 * units from the cgroup path; a Kubernetes implementation adds pods.
 */
public interface Attributor {

  /**
   * Empty while the cgroup cannot be resolved: made since the tree was last read, or a pod the API
   * server has not described yet. The caller decides how long to wait before it counts the checks
   * under {@link Workload#UNKNOWN}.
   */
  Optional<Workload> attribute(long cgroupId);

  /**
   * True once the cgroup is known to be gone. Its kernel counts can then be folded one last time
   * and deleted, since no task can check anything from a removed cgroup and ids are not reused.
   */
  boolean isGone(long cgroupId);

  /**
   * True while the cgroup's owner can still become known however long that takes, as for a pod's
   * container while the API server is unreachable: its counts then stay in the kernel past the
   * grace period instead of going to {@link Workload#UNKNOWN}.
   */
  default boolean worthWaitingFor(long cgroupId) {
    return false;
  }

  /**
   * What to call a cgroup that cannot be attributed yet where waiting is no option (a check event
   * goes out now): the container's id for a pod's container the API server has not described.
   */
  default Workload provisional(long cgroupId) {
    return Workload.UNKNOWN;
  }

  /**
   * The cgroup's counts have left the kernel for good: what was kept to name them may go (a later
   * event of the cgroup is named again from its path).
   */
  default void forget(long cgroupId) {}

  /** The pod behind a cgroup; empty outside Kubernetes or while unknown. */
  default Optional<PodFacts> pod(long cgroupId) {
    return Optional.empty();
  }

  /**
   * The runtime's id (64 hex digits) of the pod's container behind a cgroup; empty outside
   * Kubernetes, while unknown, and for a pod's sandbox.
   */
  default String containerId(long cgroupId) {
    return "";
  }

  /** {@link #whyUnattributed}: the kernel's record of the cgroup (its path) was lost. */
  String PATH_LOST = "path_lost";

  /** {@link #whyUnattributed}: a pod's container whose pod the API server never described. */
  String UNDESCRIBED_POD = "pod_undescribed";

  /**
   * Why a cgroup could not be attributed, once waiting is over: {@link #PATH_LOST} or {@link
   * #UNDESCRIBED_POD}.
   */
  default String whyUnattributed(long cgroupId) {
    return PATH_LOST;
  }

  /**
   * The cgroups the kernel held counts of at the counters' last read: a gone one's name must stay
   * for them.
   */
  default void stillCounted(Set<Long> cgroupIds) {}

  /**
   * The engine whose container, outside a pod, the cgroup is: what its profile's run flags are
   * written for. Empty for a pod's, a systemd unit, a plain cgroup, or while unknown.
   */
  default Optional<CgroupOwner.Runtime> engine(long cgroupId) {
    return Optional.empty();
  }
}
