package io.capabilityexporter.events;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.DenyClass;
import io.capabilityexporter.domain.Flag;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code trace} prints an event: columns (as {@code kubectl gadget trace capabilities} does),
 * or one JSON object per line with Inspektor Gadget's field names.
 */
public final class EventFormat {
  /** Column name, width, and value. */
  private record Column(String name, int width, Function<CheckEvent, String> value) {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private static final Map<String, Column> COLUMNS = new LinkedHashMap<>();

  static {
    for (Column column :
        List.of(
            new Column("time", 12, e -> TIME.format(e.timestamp())),
            new Column("timestamp", 30, e -> e.timestamp().toString()),
            new Column("node", 16, CheckEvent::node),
            new Column("namespace", 16, e -> e.workload().namespace()),
            new Column("pod", 24, e -> e.workload().pod()),
            new Column("container", 20, e -> e.workload().container()),
            new Column("pid", 8, e -> Integer.toString(e.pid())),
            new Column("tid", 8, e -> Integer.toString(e.tid())),
            new Column("comm", 16, CheckEvent::comm),
            new Column("syscall", 16, CheckEvent::syscall),
            new Column("uid", 6, e -> Long.toString(e.uid())),
            new Column("gid", 6, e -> Long.toString(e.gid())),
            new Column("cap", 4, e -> Integer.toString(e.check().capability())),
            new Column("capname", 18, e -> Capability.name(e.check().capability())),
            new Column("audit", 6, e -> flag(e.check().audit())),
            new Column("insetid", 8, e -> flag(e.insetid())),
            new Column("verdict", 8, e -> e.check().denied() ? "Deny" : "Allow"),
            new Column("reason", 14, e -> e.denyReason() == null ? "" : e.denyReason().code()),
            new Column("denyclass", 12, EventFormat::denyClass),
            new Column("usernsscope", 12, CheckEvent::usernsScope),
            new Column("targetuserns", 13, e -> Long.toString(e.targetUserNs())),
            new Column("currentuserns", 14, e -> Long.toString(e.currentUserNs())),
            new Column("mountnsid", 11, e -> Long.toString(e.mountNsId())),
            new Column("caps", 17, e -> String.format("%016x", e.effectiveCaps())),
            new Column(
                "capsnames", 40, e -> String.join(",", Capability.namesOf(e.effectiveCaps()))),
            new Column("count", 7, e -> Long.toString(e.count())),
            new Column("cgroupid", 10, e -> Long.toString(e.cgroupId())),
            new Column("origin", 9, e -> e.origin().label()))) {
      COLUMNS.put(column.name(), column);
    }
  }

  /**
   * Inspektor Gadget's columns, with COUNT: a folded window's repeats arrive as one more row of the
   * same tuple, which without its count reads as a second call.
   */
  public static final List<String> DEFAULT_COLUMNS =
      List.of(
          "time",
          "namespace",
          "pod",
          "container",
          "pid",
          "comm",
          "syscall",
          "uid",
          "cap",
          "capname",
          "audit",
          "verdict",
          "count",
          "reason");

  private final List<Column> columns;

  private EventFormat(List<Column> columns) {
    this.columns = columns;
  }

  /** Null for JSON. */
  public static EventFormat columns(List<String> names) {
    List<Column> chosen =
        names.stream()
            .map(
                name -> {
                  Column column = COLUMNS.get(name.toLowerCase(java.util.Locale.ROOT));
                  if (column == null) {
                    throw new IllegalArgumentException(
                        "unknown column '"
                            + name
                            + "'; columns: "
                            + String.join(",", COLUMNS.keySet()));
                  }
                  return column;
                })
            .toList();
    return new EventFormat(chosen);
  }

  public String header() {
    StringBuilder line = new StringBuilder();
    for (Column column : columns) {
      pad(line, column.name().toUpperCase(java.util.Locale.ROOT), column.width());
    }
    return line.toString().stripTrailing();
  }

  public String row(CheckEvent event, boolean withStack) {
    StringBuilder line = new StringBuilder();
    for (Column column : columns) {
      pad(line, column.value().apply(event), column.width());
    }
    String row = line.toString().stripTrailing();
    if (withStack && !event.stack().isEmpty()) {
      row += "\n\t" + String.join("\n\t", event.stack());
    }
    return row;
  }

  private static void pad(StringBuilder line, String value, int width) {
    line.append(value);
    for (int i = value.length(); i < width; i++) {
      line.append(' ');
    }
    line.append(' ');
  }

  /** What the program did about a deny; empty for an allow or a plain deny. */
  private static String denyClass(CheckEvent event) {
    DenyClass denyClass = event.check().denyClass();
    return denyClass == DenyClass.NONE ? "" : denyClass.label();
  }

  private static String flag(Flag value) {
    return switch (value) {
      case NO -> "0";
      case YES -> "1";
      case UNKNOWN -> "?";
    };
  }

  /** Inspektor Gadget's 0 or 1, null when unknown. */
  private static Integer number(Flag value) {
    return switch (value) {
      case NO -> 0;
      case YES -> 1;
      case UNKNOWN -> null;
    };
  }

  /** One line of JSON, Inspektor Gadget's field names plus {@code count} (and {@code stack}). */
  public static String json(CheckEvent event) {
    JsonObject json =
        new JsonObject()
            .put(
                "timestamp",
                event.timestamp().getEpochSecond() * 1_000_000_000L + event.timestamp().getNano())
            .put("node", event.node())
            .put("namespace", event.workload().namespace())
            .put("pod", event.workload().pod())
            .put("container", event.workload().container())
            .put("pid", event.pid())
            .put("tid", event.tid())
            .put("comm", event.comm())
            .put("syscall", event.syscall())
            .put("uid", event.uid())
            .put("gid", event.gid())
            .put("cap", event.check().capability())
            .put("capName", Capability.name(event.check().capability()))
            .put("audit", number(event.check().audit()))
            .put("insetid", number(event.insetid()))
            .put("verdict", event.check().denied() ? "Deny" : "Allow")
            .put("targetuserns", event.targetUserNs())
            .put("currentuserns", event.currentUserNs())
            .put("mountnsid", event.mountNsId())
            .put("caps", event.effectiveCaps())
            .put("capsNames", new JsonArray(Capability.namesOf(event.effectiveCaps())))
            .put("count", event.count())
            .put("usernsScope", event.usernsScope())
            .put("origin", event.origin().label());
    if (event.denyReason() != null) {
      json.put("denyReason", event.denyReason().code());
    }
    if (event.check().denyClass() != DenyClass.NONE) {
      json.put("denyClass", event.check().denyClass().label());
    }
    if (!event.stack().isEmpty()) {
      json.put("stack", new JsonArray(event.stack()));
    }
    return json.encode();
  }
}
