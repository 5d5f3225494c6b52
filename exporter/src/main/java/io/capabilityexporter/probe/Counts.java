package io.capabilityexporter.probe;

import java.util.List;
import java.util.Set;

/**
 * What one read of the kernel's counts found.
 *
 * @param departed cgroups the kernel has released whose counts are still held
 * @param slotsHeld slots of the per-cgroup blocks held (of {@link Probe#cgroupSlots()})
 * @param spillEntries entries of the spill hash (its capacity is {@link Probe#countsCapacity()})
 */
public record Counts(List<Count> counts, Set<Long> departed, int slotsHeld, int spillEntries) {}
