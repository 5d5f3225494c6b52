package io.capabilityexporter.events;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.DenyClass;
import io.capabilityexporter.domain.Flag;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every field of a check event, declared once: its {@code trace} column, its key in {@code trace -o
 * json} (Inspektor Gadget's name where it has one), its OTLP attribute and what it says. {@code
 * trace}'s columns and JSON ({@link EventFormat}), the OTLP log record ({@code
 * logs/CheckEventRecord}) and the field table of docs/trace.md are all made from this list, in its
 * order, and each {@link Kind} is written one way per format.
 */
public final class EventFields {

  /** How a value is written, the same for every field of the kind. */
  public enum Kind {
    /** A string; JSON omits a null one; OTLP omits a null or empty one. */
    TEXT,
    /** A whole number. */
    NUMBER,
    /** A {@link Flag}: {@code 1}, {@code 0}, {@code ?}; JSON 1, 0, null; OTLP a boolean or none. */
    FLAG,
    /** A capability mask: 16 hex digits in columns and OTLP (as CapEff), a number in JSON. */
    MASK,
    /** Names: comma-separated in columns, an array in JSON and OTLP; null: left out. */
    NAMES
  }

  /**
   * @param column {@code trace}'s column, null when none
   * @param width the column's width
   * @param json the key in {@code trace -o json}, null when none
   * @param otlp the OTLP attribute, null when none
   * @param kind how the value is written
   * @param description what it says, for the docs
   * @param value the value, of {@code kind}'s type; null when the event has none
   * @param jsonValue the value in JSON where it differs (a number for a time); null: {@code value}
   * @param otlpValue the value in OTLP where it differs; null: {@code value}
   */
  public record Field(
      String column,
      int width,
      String json,
      String otlp,
      Kind kind,
      String description,
      Function<CheckEvent, Object> value,
      Function<CheckEvent, Object> jsonValue,
      Function<CheckEvent, Object> otlpValue) {

    public Object valueIn(CheckEvent event) {
      return value.apply(event);
    }

    public Object jsonValueIn(CheckEvent event) {
      return (jsonValue == null ? value : jsonValue).apply(event);
    }

    public Object otlpValueIn(CheckEvent event) {
      return (otlpValue == null ? value : otlpValue).apply(event);
    }

    /** The value as its column shows it. */
    public String text(CheckEvent event) {
      Object v = valueIn(event);
      return switch (kind) {
        case TEXT -> v == null ? "" : (String) v;
        case NUMBER -> v.toString();
        case FLAG -> flag((Flag) v);
        case MASK -> hex((Long) v);
        case NAMES -> v == null ? "" : String.join(",", names(v));
      };
    }

    private Field withJson(Function<CheckEvent, Object> json) {
      return new Field(column, width, this.json, otlp, kind, description, value, json, otlpValue);
    }

    private Field withOtlp(Function<CheckEvent, Object> otlpOnly) {
      return new Field(column, width, json, otlp, kind, description, value, jsonValue, otlpOnly);
    }
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  public static final List<Field> ALL =
      List.of(
          field("time", 12, null, null, Kind.TEXT, "the time of the check, local", e -> time(e)),
          field(
                  "timestamp",
                  30,
                  "timestamp",
                  null,
                  Kind.TEXT,
                  "the time of the first check the event stands for (JSON: ns since the epoch;"
                      + " OTLP: the record's time)",
                  e -> e.timestamp().toString())
              .withJson(
                  e -> e.timestamp().getEpochSecond() * 1_000_000_000L + e.timestamp().getNano()),
          field("node", 16, "node", null, Kind.TEXT, "the node or host name", CheckEvent::node),
          field(
              "namespace",
              16,
              "namespace",
              "k8s.namespace.name",
              Kind.TEXT,
              "the pod's namespace; empty outside Kubernetes",
              e -> e.workload().namespace()),
          field(
              "pod",
              24,
              "pod",
              "k8s.pod.name",
              Kind.TEXT,
              "the pod; empty outside Kubernetes",
              e -> e.workload().pod()),
          field(
                  "container",
                  20,
                  "container",
                  "k8s.container.name",
                  Kind.TEXT,
                  "the container; outside Kubernetes the container, systemd unit or cgroup",
                  e -> e.workload().container())
              .withOtlp(e -> e.workload().pod().isEmpty() ? null : e.workload().container()),
          field(
              null,
              0,
              null,
              "capability.container",
              Kind.TEXT,
              "the container, systemd unit or cgroup, outside Kubernetes",
              e -> e.workload().pod().isEmpty() ? e.workload().container() : null),
          field("pid", 8, "pid", "process.pid", Kind.NUMBER, "process id", e -> (long) e.pid()),
          field("tid", 8, "tid", "thread.id", Kind.NUMBER, "thread id", e -> (long) e.tid()),
          field(
              "comm",
              16,
              "comm",
              "thread.name",
              Kind.TEXT,
              "the thread's command name (the kernel's comm)",
              CheckEvent::comm),
          field(
              "syscall",
              16,
              "syscall",
              "capability.syscall",
              Kind.TEXT,
              "the system call being made; empty when not in one",
              CheckEvent::syscall),
          field(
              "uid",
              6,
              "uid",
              "process.real_user.id",
              Kind.NUMBER,
              "the cred's uid",
              CheckEvent::uid),
          field("gid", 6, "gid", "capability.gid", Kind.NUMBER, "the cred's gid", CheckEvent::gid),
          field(
              "cap",
              4,
              "cap",
              "capability.number",
              Kind.NUMBER,
              "the capability's number",
              e -> (long) e.check().capability()),
          field(
              "capname",
              18,
              "capName",
              "capability.name",
              Kind.TEXT,
              "the capability's name, without CAP_",
              e -> Capability.name(e.check().capability())),
          field(
              "audit",
              6,
              "audit",
              "capability.audit",
              Kind.FLAG,
              "whether the kernel audits the check (0: a noaudit probe); unknown without the"
                  + " kernel's addresses",
              e -> e.check().audit()),
          field(
              "insetid",
              8,
              "insetid",
              "capability.insetid",
              Kind.FLAG,
              "whether the check is for a set-id operation",
              CheckEvent::insetid),
          field(
                  "verdict",
                  8,
                  "verdict",
                  "capability.verdict",
                  Kind.TEXT,
                  "Allow or Deny (OTLP: allow or deny, as the counters' label)",
                  e -> e.check().denied() ? "Deny" : "Allow")
              .withOtlp(e -> e.check().denied() ? "deny" : "allow"),
          field(
              "targetuserns",
              13,
              "targetuserns",
              "capability.target_userns",
              Kind.NUMBER,
              "inode number of the user namespace the capability is asked in",
              CheckEvent::targetUserNs),
          field(
              "currentuserns",
              14,
              "currentuserns",
              "capability.current_userns",
              Kind.NUMBER,
              "inode number of the cred's user namespace",
              CheckEvent::currentUserNs),
          field(
              "mountnsid",
              11,
              "mountnsid",
              "capability.mount_ns_id",
              Kind.NUMBER,
              "inode number of the task's mount namespace",
              CheckEvent::mountNsId),
          field(
              "caps",
              17,
              "caps",
              "capability.effective_caps",
              Kind.MASK,
              "the cred's effective capabilities",
              CheckEvent::effectiveCaps),
          field(
              "capsnames",
              40,
              "capsNames",
              null,
              Kind.NAMES,
              "the names of the effective capabilities",
              e -> Capability.namesOf(e.effectiveCaps())),
          field(
              "count",
              7,
              "count",
              "capability.count",
              Kind.NUMBER,
              "how many checks the event stands for (repeats folded in the kernel)",
              CheckEvent::count),
          field(
              "usernsscope",
              12,
              "usernsScope",
              "capability.userns_scope",
              Kind.TEXT,
              "container: against the container's own user namespace; nested: one the workload"
                  + " made",
              CheckEvent::usernsScope),
          field(
              "origin",
              9,
              "origin",
              "capability.origin",
              Kind.TEXT,
              "workload, or runtime: its container runtime's, before its program ran",
              e -> e.origin().label()),
          field(
              "reason",
              14,
              "denyReason",
              "capability.deny_reason",
              Kind.TEXT,
              "a deny's cause: not_effective (not in the effective set) or userns (a user"
                  + " namespace without rights there)",
              e -> e.denyReason() == null ? null : e.denyReason().code()),
          field(
              "denyclass",
              12,
              "denyClass",
              "capability.deny_class",
              Kind.TEXT,
              "what the program did about a deny: fallback, drop_check, before_exit; none: it"
                  + " went on",
              e -> e.check().denyClass() == DenyClass.NONE ? null : e.check().denyClass().label()),
          field(
              "cgroupid",
              10,
              null,
              "capability.cgroup_id",
              Kind.NUMBER,
              "the cgroup v2 id of the checking task",
              CheckEvent::cgroupId),
          field(
              null,
              0,
              "stack",
              "capability.stack",
              Kind.NAMES,
              "the kernel stack, innermost first (--print-stack)",
              e -> e.stack().isEmpty() ? null : e.stack()));

  private EventFields() {}

  /** The field of a column, case-insensitive; null when none. */
  public static Field column(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(f -> lower.equals(f.column())).findFirst().orElse(null);
  }

  /** The columns, in order. */
  public static List<String> columns() {
    return ALL.stream().map(Field::column).filter(c -> c != null).toList();
  }

  /** The fields as a Markdown table: column, JSON key, OTLP attribute, meaning. */
  public static String markdownTable() {
    StringBuilder table =
        new StringBuilder(
            "| column | JSON | OTLP attribute | meaning |\n| --- | --- | --- | --- |\n");
    for (Field field : ALL) {
      table
          .append("| ")
          .append(code(field.column()))
          .append(" | ")
          .append(code(field.json()))
          .append(" | ")
          .append(code(field.otlp()))
          .append(" | ")
          .append(field.description())
          .append(" |\n");
    }
    return table.toString();
  }

  private static String code(String name) {
    return name == null ? "" : "`" + name + "`";
  }

  private static Field field(
      String column,
      int width,
      String json,
      String otlp,
      Kind kind,
      String description,
      Function<CheckEvent, Object> value) {
    return new Field(column, width, json, otlp, kind, description, value, null, null);
  }

  private static String time(CheckEvent event) {
    return TIME.format(event.timestamp());
  }

  static String flag(Flag value) {
    return switch (value) {
      case NO -> "0";
      case YES -> "1";
      case UNKNOWN -> "?";
    };
  }

  /** As {@code CapEff} in {@code /proc/PID/status}: 16 lower-case hex digits. */
  public static String hex(long mask) {
    String hex = Long.toHexString(mask);
    return "0000000000000000".substring(hex.length()) + hex;
  }

  @SuppressWarnings("unchecked")
  public static List<String> names(Object value) {
    return (List<String>) value;
  }
}
