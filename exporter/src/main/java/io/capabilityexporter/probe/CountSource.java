package io.capabilityexporter.probe;

/** Where the kernel's counts come from: the probe, or a test's own table. */
public interface CountSource {

  /** Every count the kernel holds; totals only grow, except for cgroups {@link #forget}-ten. */
  Counts readCounts() throws ProbeException;

  /** Drops the counts of a cgroup that is gone; its last totals must have been read already. */
  void forget(long cgroupId);
}
