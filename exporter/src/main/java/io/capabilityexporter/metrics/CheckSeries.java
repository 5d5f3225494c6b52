package io.capabilityexporter.metrics;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Workload;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The series of one family of check counters, collected straight into the Prometheus registry: with
 * tens of thousands of series a Micrometer Counter each costs more per scrape than the kernel read
 * (bench/RESULTS.md), and these counters only ever move at scrape time anyway. Keyed by the labels
 * alone: when a workload's series leave is {@link SeriesRetirement}'s to say.
 *
 * <p>Two families: {@link #WORKLOAD}'s {@code capability_checks_total}, what the workloads' own
 * programs asked, with {@code expected}; and {@link #RUNTIME}'s {@code
 * capability_runtime_checks_total}, what container runtimes asked setting their containers up,
 * never judged.
 */
final class CheckSeries {
  /** One family: its name (without {@code _total}), its help, whether it says {@code expected}. */
  record Family(String name, String help, boolean judged) {}

  static final Family WORKLOAD =
      new Family(
          "capability_checks", "Capability checks the kernel made, counted in the kernel.", true);

  static final Family RUNTIME =
      new Family(
          "capability_runtime_checks",
          "Capability checks container runtimes made setting a container up or entering it for an"
              + " exec, before the workload's program ran; counted in the kernel.",
          false);

  private final Family family;
  private final Map<Series, Point> points = new HashMap<>();

  CheckSeries(Family family) {
    this.family = family;
  }

  private record Series(
      Family family, Workload workload, int capability, boolean denied, boolean expected) {
    /** {@code capability_checks_total{capability="SYS_ADMIN",...} }, labels sorted by name. */
    String prefix() {
      StringBuilder text = new StringBuilder(160).append(family.name()).append("_total{");
      label(text, "capability", Capability.name(capability)).append(',');
      label(text, "container", workload.container()).append(',');
      if (family.judged()) {
        label(text, "expected", Boolean.toString(expected)).append(',');
      }
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
                new Series(family, workload, capability, denied, expected && family.judged()),
                s -> new Point(s.prefix()))
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
    String name = openMetrics ? family.name() : family.name() + "_total";
    text.append("# TYPE ").append(name).append(" counter\n");
    text.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
    for (Point point : points.values()) {
      text.append(point.prefix).append(point.value).append('\n');
    }
  }
}
