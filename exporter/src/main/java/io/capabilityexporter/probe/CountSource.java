package io.capabilityexporter.probe;

import java.util.List;

/** Where the kernel's counts come from: the probe, or a test's own table. */
public interface CountSource {

  /** Every count the kernel holds; totals only grow, except for keys {@link #forget}-ten. */
  List<Probe.Count> readCounts() throws ProbeException;

  /** Drops a key whose cgroup is gone; its last total must have been read already. */
  void forget(CountKey key);
}
