package io.capabilityexporter.metrics;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Workload;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code capability_checks_total} series, collected straight into the Prometheus registry: with
 * tens of thousands of series a Micrometer Counter each costs more per scrape than the kernel read
 * (bench/RESULTS.md), and these counters only ever move at scrape time anyway. Keyed by the labels
 * alone: when a workload's series leave is {@link SeriesRetirement}'s to say.
 */
final class CheckSeries {
  private static final String HELP = "Capability checks the kernel made, counted in the kernel.";

  private final Map<Series, Point> points = new HashMap<>();

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

  synchronized void add(
      Workload workload, int capability, boolean denied, boolean expected, long delta) {
    points.computeIfAbsent(
                new Series(workload, capability, denied, expected), s -> new Point(s.prefix()))
            .value +=
        delta;
  }

  /** Removes the series of the workloads, as they retire. */
  synchronized void remove(Set<Workload> workloads) {
    if (!workloads.isEmpty()) {
      points.keySet().removeIf(series -> workloads.contains(series.workload()));
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
