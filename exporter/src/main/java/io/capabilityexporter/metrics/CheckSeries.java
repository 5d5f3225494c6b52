package io.capabilityexporter.metrics;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Workload;
import java.util.HashMap;
import java.util.HashSet;
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
final class CheckSeries {
  static final String HELP = "Capability checks the kernel made, counted in the kernel.";

  private final long graceNanos;
  private final Map<Series, Point> points = new HashMap<>();
  private final Map<Workload, Set<Long>> liveCgroups = new HashMap<>();
  private final Map<Workload, Long> retireAt = new HashMap<>();

  private record Series(Workload workload, int capability, boolean denied, boolean expected) {
    /** {@code capability_checks_total{capability="SYS_ADMIN",...} }, labels sorted by name. */
    String prefix() {
      StringBuilder text = new StringBuilder(160).append("capability_checks_total{");
      label(text, "capability", Capability.name(capability)).append(',');
      label(text, "container", workload.container()).append(',');
      label(text, "expected", Boolean.toString(expected)).append(',');
      label(text, "namespace", workload.namespace()).append(',');
      label(text, "pod", workload.pod()).append(',');
      return label(text, "verdict", denied ? "deny" : "allow").append("} ").toString();
    }

    /** Escapes as the exposition formats require: backslash, double quote and newline. */
    private static StringBuilder label(StringBuilder text, String name, String value) {
      text.append(name).append("=\"");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '\\' -> text.append("\\\\");
          case '"' -> text.append("\\\"");
          case '\n' -> text.append("\\n");
          default -> text.append(c);
        }
      }
      return text.append('"');
    }
  }

  /** The text before the value is built once; the value only grows. */
  private static final class Point {
    final String prefix;
    long value;

    Point(String prefix) {
      this.prefix = prefix;
    }
  }

  CheckSeries(long graceNanos) {
    this.graceNanos = graceNanos;
  }

  synchronized void add(
      Workload workload, int capability, boolean denied, boolean expected, long delta) {
    points.computeIfAbsent(
                new Series(workload, capability, denied, expected), s -> new Point(s.prefix()))
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

  /** Appends the family in the Prometheus text format, or in OpenMetrics (the same samples). */
  synchronized void write(StringBuilder text, boolean openMetrics) {
    String family = openMetrics ? "capability_checks" : "capability_checks_total";
    text.append("# TYPE ").append(family).append(" counter\n");
    text.append("# HELP ").append(family).append(' ').append(HELP).append('\n');
    for (Point point : points.values()) {
      text.append(point.prefix).append(point.value).append('\n');
    }
  }
}
