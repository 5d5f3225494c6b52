package io.capabilityexporter.cluster;

import io.vertx.core.json.JsonObject;

/** {@code trace --cluster}'s columns: the node first, then what {@code trace} shows by default. */
public final class ClusterTraceFormat {
  private static final String[] FIELDS = {
    "node", "namespace", "pod", "container", "pid", "comm", "syscall", "capName", "verdict", "count"
  };
  private static final String[] HEADERS = {
    "NODE", "NAMESPACE", "POD", "CONTAINER", "PID", "COMM", "SYSCALL", "CAP", "VERDICT", "COUNT"
  };
  private static final int[] WIDTHS = {14, 16, 24, 16, 8, 16, 16, 16, 7, 5};

  private ClusterTraceFormat() {}

  public static String header() {
    return row(HEADERS);
  }

  /** One event's row; the node is the pod's when the event does not say it. */
  public static String row(ExporterPod from, JsonObject event) {
    String[] values = new String[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      Object value = event.getValue(FIELDS[i]);
      values[i] = value == null ? "" : printable(value.toString());
    }
    if (values[0].isEmpty()) {
      values[0] = from.node();
    }
    return row(values);
  }

  private static String row(String[] values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      line.append(values[i]);
      if (i < values.length - 1) {
        line.append(" ".repeat(Math.max(1, WIDTHS[i] - values[i].length())));
      }
    }
    return line.toString();
  }

  /** What another machine sent: no control characters reach the terminal. */
  private static String printable(String value) {
    return value
        .codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
