package io.capabilityexporter.metrics;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Workload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  /** Each workload's series, with its labels escaped once: series are few per workload. */
  private final Map<Workload, WorkloadSeries> workloads = new HashMap<>();

  CheckSeries(Family family) {
    this.family = family;
  }

  /** One series: a workload's checks of one capability and verdict (and expectation). */
  private static final class Point {
    final short capability;
    final boolean denied;
    final boolean expected;
    long value;

    Point(int capability, boolean denied, boolean expected) {
      this.capability = (short) capability;
      this.denied = denied;
      this.expected = expected;
    }
  }

  /**
   * A workload's series. Memory goes with the series a churned node holds (hundreds of thousands
   * within the grace period), so the labels are kept once per workload as the bytes they are
   * written as, and the series in a small array, not a map entry and a line of text each.
   */
  private static final class WorkloadSeries {
    final byte[] container;
    final byte[] namespaceAndPod;
    Point[] points = new Point[2];
    int size;

    WorkloadSeries(Workload workload) {
      container = escaped(workload.container());
      namespaceAndPod =
          workload.namespace().isEmpty() && workload.pod().isEmpty()
              ? NO_POD
              : bytes(
                  "\",namespace=\""
                      + new String(escaped(workload.namespace()), StandardCharsets.UTF_8)
                      + "\",pod=\""
                      + new String(escaped(workload.pod()), StandardCharsets.UTF_8));
    }

    Point point(int capability, boolean denied, boolean expected) {
      for (int i = 0; i < size; i++) {
        Point point = points[i];
        if (point.capability == capability
            && point.denied == denied
            && point.expected == expected) {
          return point;
        }
      }
      if (size == points.length) {
        points = Arrays.copyOf(points, size * 2);
      }
      Point point = new Point(capability, denied, expected);
      points[size++] = point;
      return point;
    }
  }

  private static final byte[] NO_POD = bytes("\",namespace=\"\",pod=\"");
  private static final byte[] CONTAINER = bytes("\",container=\"");
  private static final byte[] EXPECTED_TRUE = bytes("\",expected=\"true");
  private static final byte[] EXPECTED_FALSE = bytes("\",expected=\"false");
  private static final byte[] ALLOW = bytes("\",verdict=\"allow\"} ");
  private static final byte[] DENY = bytes("\",verdict=\"deny\"} ");
  private static final byte[][] CAPABILITIES = new byte[64][];

  static {
    for (int capability = 0; capability < CAPABILITIES.length; capability++) {
      CAPABILITIES[capability] = bytes(Capability.name(capability));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** As the exposition formats require: backslash, double quote and newline escaped. */
  private static byte[] escaped(String value) {
    StringBuilder text = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> text.append("\\\\");
        case '"' -> text.append("\\\"");
        case '\n' -> text.append("\\n");
        default -> text.append(c);
      }
    }
    return bytes(text.toString());
  }

  synchronized void add(
      Workload workload, int capability, boolean denied, boolean expected, long delta) {
    workloads
            .computeIfAbsent(workload, WorkloadSeries::new)
            .point(capability, denied, expected && family.judged())
            .value +=
        delta;
  }

  /** Removes the series of the workloads, as they retire; returns how many went. */
  synchronized int remove(Set<Workload> retired) {
    int removed = 0;
    for (Workload workload : retired) {
      WorkloadSeries gone = workloads.remove(workload);
      removed += gone == null ? 0 : gone.size;
    }
    return removed;
  }

  /** Appends the family in the Prometheus text format, or in OpenMetrics (the same samples). */
  synchronized void write(OutputStream out, boolean openMetrics) throws IOException {
    String name = openMetrics ? family.name() : family.name() + "_total";
    out.write(bytes("# TYPE " + name + " counter\n# HELP " + name + " " + family.help() + "\n"));
    byte[] start = bytes(family.name() + "_total{capability=\"");
    for (WorkloadSeries workload : workloads.values()) {
      for (int i = 0; i < workload.size; i++) {
        Point point = workload.points[i];
        out.write(start);
        int capability = point.capability;
        out.write(
            capability >= 0 && capability < CAPABILITIES.length
                ? CAPABILITIES[capability]
                : bytes(Capability.name(capability)));
        out.write(CONTAINER);
        out.write(workload.container);
        if (family.judged()) {
          out.write(point.expected ? EXPECTED_TRUE : EXPECTED_FALSE);
        }
        out.write(workload.namespaceAndPod);
        out.write(point.denied ? DENY : ALLOW);
        out.write(bytes(Long.toString(point.value)));
        out.write('\n');
      }
    }
  }
}
