package io.capabilityexporter.attribution;

/**
 * Maps the kernel's cgroup id (cgroup v2 inode number, as {@code bpf_get_current_cgroup_id()}
 * returns it) to the workload that owns it. The host implementation resolves containers and
 * systemd units from the cgroup path; a Kubernetes implementation adds pods.
 */
public interface Attributor {

  /** Never null: a cgroup that cannot be resolved is {@link Workload#UNKNOWN}. */
  Workload attribute(long cgroupId);

  /**
   * True once the cgroup is known to be gone. Its kernel counts can then be folded one last time
   * and deleted, since no task can check anything from a removed cgroup and ids are not reused.
   */
  boolean isGone(long cgroupId);
}
