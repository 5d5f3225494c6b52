package io.capabilityexporter.profiles;

/**
 * How much a profile keeps, so neither memory nor the profiles file grows without bound: the least
 * recently seen workload, container, syscall or command goes first.
 *
 * @param workloads workloads kept
 * @param containers containers kept per workload
 * @param names syscalls, and commands, kept per capability
 */
public record ProfileLimits(int workloads, int containers, int names) {
  /**
   * A busy node runs up to its 110 pods of a few dozen workloads; CronJobs and CI runners add a
   * workload per run: 2,000 keeps hours of that (~7 KiB of JSON each, the file and heap within the
   * DaemonSet's limits), and what runs is never pushed out first.
   */
  public static final ProfileLimits DEFAULT = new ProfileLimits(2000, 32, 16);

  /** Capability numbers fit a 64-bit mask; no container can use more. */
  static final int CAPABILITIES = 64;

  public ProfileLimits {
    if (workloads < 1 || containers < 1 || names < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
