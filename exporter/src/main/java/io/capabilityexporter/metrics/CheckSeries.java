package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.Workload;
import io.capabilityexporter.capabilities.Capability;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code capability_checks_total} series, collected straight into the Prometheus registry: with
 * tens of thousands of series a Micrometer Counter each costs more per scrape than the kernel read
 * (bench/RESULTS.md), and these counters only ever move at scrape time anyway.
 *
 * <p>A workload's series stay while any of its cgroups lives, and leave a grace period after the
 * last one is gone, so the exporter does not grow without bound as containers come and go. A
 * workload that comes back within the grace period (a restarted unit) keeps its series.
 */
final class CheckSeries implements Collector {
  static final MetricMetadata METADATA =
      new MetricMetadata(
          "capability_checks", "Capability checks the kernel made, counted in the kernel.");

  private final long graceNanos;
  private final Map<Series, Point> points = new HashMap<>();
  private final Map<Workload, Set<Long>> liveCgroups = new HashMap<>();
  private final Map<Workload, Long> retireAt = new HashMap<>();

  private record Series(Workload workload, int capability, boolean denied, boolean expected) {
    Labels labels() {
      return Labels.of(
          "capability", Capability.name(capability),
          "container", workload.container(),
          "expected", Boolean.toString(expected),
          "namespace", workload.namespace(),
          "pod", workload.pod(),
          "verdict", denied ? "deny" : "allow");
    }
  }

  /** Labels are built once per series; the value only grows. */
  private static final class Point {
    final Labels labels;
    long value;

    Point(Labels labels) {
      this.labels = labels;
    }
  }

  CheckSeries(long graceNanos) {
    this.graceNanos = graceNanos;
  }

  synchronized void add(
      Workload workload, int capability, boolean denied, boolean expected, long delta) {
    points.computeIfAbsent(
                new Series(workload, capability, denied, expected), s -> new Point(s.labels()))
            .value +=
        delta;
  }

  synchronized void live(Workload workload, long cgroupId) {
    liveCgroups.computeIfAbsent(workload, w -> new HashSet<>()).add(cgroupId);
    retireAt.remove(workload);
  }

  synchronized void gone(Workload workload, long cgroupId, long now) {
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
  synchronized void retire(long now) {
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
    if (!retired.isEmpty()) {
      points.keySet().removeIf(series -> retired.contains(series.workload()));
    }
  }

  @Override
  public synchronized MetricSnapshot collect() {
    List<CounterDataPointSnapshot> dataPoints = new ArrayList<>(points.size());
    for (Point point : points.values()) {
      dataPoints.add(new CounterDataPointSnapshot(point.value, point.labels, null, 0));
    }
    return new CounterSnapshot(METADATA, dataPoints);
  }
}
