package io.capabilityexporter.events;

import io.capabilityexporter.domain.Flag;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * How {@code trace} prints an event: columns (as {@code kubectl gadget trace capabilities} does),
 * or one JSON object per line with Inspektor Gadget's field names, both from {@link EventFields}.
 */
public final class EventFormat {
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

  private final List<EventFields.Field> columns;

  private EventFormat(List<EventFields.Field> columns) {
    this.columns = columns;
  }

  public static EventFormat columns(List<String> names) {
    List<EventFields.Field> chosen =
        names.stream()
            .map(
                name -> {
                  EventFields.Field field = EventFields.column(name);
                  if (field == null) {
                    throw new IllegalArgumentException(
                        "unknown column '"
                            + name
                            + "'; columns: "
                            + String.join(",", EventFields.columns()));
                  }
                  return field;
                })
            .toList();
    return new EventFormat(chosen);
  }

  public String header() {
    StringBuilder line = new StringBuilder();
    for (EventFields.Field column : columns) {
      pad(line, column.column().toUpperCase(Locale.ROOT), column.width());
    }
    return line.toString().stripTrailing();
  }

  public String row(CheckEvent event, boolean withStack) {
    StringBuilder line = new StringBuilder();
    for (EventFields.Field column : columns) {
      pad(line, column.text(event), column.width());
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

  /**
   * One line of JSON: Inspektor Gadget's field names plus this exporter's. A field the event does
   * not have is left out; a flag not known is null, as Inspektor Gadget writes it.
   */
  public static String json(CheckEvent event) {
    JsonObject json = new JsonObject();
    for (EventFields.Field field : EventFields.ALL) {
      if (field.json() == null) {
        continue;
      }
      Object value = field.jsonValueIn(event);
      if (value instanceof Flag flag) {
        json.put(field.json(), flag == Flag.UNKNOWN ? null : (flag == Flag.YES ? 1 : 0));
      } else if (value instanceof List<?> names) {
        json.put(field.json(), new JsonArray(List.copyOf(names)));
      } else if (value != null) {
        json.put(field.json(), value);
      }
    }
    return json.encode();
  }
}
