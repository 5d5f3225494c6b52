package io.capabilityexporter.metrics;

import io.capabilityexporter.domain.Workload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When a workload's series may leave: a grace period after its last cgroup is gone, so the exporter
 * does not grow without bound as containers come and go. A workload that comes back within the
 * grace period (a restarted unit) keeps its series. Not thread-safe: one refresh at a time.
 */
final class SeriesRetirement {
  private final long graceNanos;
  private final Map<Workload, Set<Long>> liveCgroups = new HashMap<>();
  private final Map<Workload, Long> retireAt = new HashMap<>();

  SeriesRetirement(long graceNanos) {
    this.graceNanos = graceNanos;
  }

  /** The workload's checks were read from the cgroup, {@code last} if the cgroup is gone. */
  void read(Workload workload, long cgroupId, boolean last, long now) {
    if (last) {
      gone(workload, cgroupId, now);
    } else {
      liveCgroups.computeIfAbsent(workload, w -> new HashSet<>()).add(cgroupId);
      retireAt.remove(workload);
    }
  }

  private void gone(Workload workload, long cgroupId, long now) {
    Set<Long> cgroups = liveCgroups.get(workload);
    if (cgroups != null) {
      cgroups.remove(cgroupId);
      if (!cgroups.isEmpty()) {
        return;
      }
      liveCgroups.remove(workload);
    }
    retireAt.putIfAbsent(workload, now + graceNanos);
  }

  /** The workloads gone for longer than the grace period, forgotten here: their series go. */
  Set<Workload> retire(long now) {
    Set<Workload> retired = new HashSet<>();
    retireAt
        .entrySet()
        .removeIf(
            entry -> {
              boolean due = now - entry.getValue() >= 0;
              if (due) {
                retired.add(entry.getKey());
              }
              return due;
            });
    return retired;
  }
}
