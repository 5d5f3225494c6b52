package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.Workload;
import io.capabilityexporter.capabilities.Capability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code capability_checks_total} series and their lifetime: a workload's series stay while any
 * of its cgroups lives, and leave a grace period after the last one is gone, so the exporter does
 * not grow without bound as containers come and go. A workload that comes back within the grace
 * period (a restarted unit) keeps its series.
 */
final class CheckSeries {
  private final MeterRegistry registry;
  private final long graceNanos;
  private final Map<Series, Counter> counters = new HashMap<>();
  private final Map<Workload, Set<Long>> liveCgroups = new HashMap<>();
  private final Map<Workload, Long> retireAt = new HashMap<>();

  private record Series(Workload workload, int capability, boolean denied, boolean expected) {}

  CheckSeries(MeterRegistry registry, long graceNanos) {
    this.registry = registry;
    this.graceNanos = graceNanos;
  }

  void add(Workload workload, int capability, boolean denied, boolean expected, long delta) {
    counters
        .computeIfAbsent(
            new Series(workload, capability, denied, expected),
            s ->
                Counter.builder(CheckCounters.NAME)
                    .description("Capability checks the kernel made, counted in the kernel.")
                    .tag("namespace", s.workload().namespace())
                    .tag("pod", s.workload().pod())
                    .tag("container", s.workload().container())
                    .tag("capability", Capability.name(s.capability()))
                    .tag("verdict", s.denied() ? "deny" : "allow")
                    .tag("expected", Boolean.toString(s.expected()))
                    .register(registry))
        .increment(delta);
  }

  void live(Workload workload, long cgroupId) {
    liveCgroups.computeIfAbsent(workload, w -> new HashSet<>()).add(cgroupId);
    retireAt.remove(workload);
  }

  void gone(Workload workload, long cgroupId, long now) {
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

  /** Removes the series of workloads gone for longer than the grace period. */
  void retire(long now) {
    retireAt
        .entrySet()
        .removeIf(
            entry -> {
              if (now - entry.getValue() < 0) {
                return false;
              }
              counters
                  .entrySet()
                  .removeIf(
                      series -> {
                        boolean retired = series.getKey().workload().equals(entry.getKey());
                        if (retired) {
                          registry.remove(series.getValue());
                        }
                        return retired;
                      });
              return true;
            });
  }
}
