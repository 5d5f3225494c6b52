package io.capabilityexporter.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.profiles.CheckEvents;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class EventFieldsTest {

  /** docs/trace.md's field table is the one the fields make (a field added shows there). */
  @Test
  void the_docs_field_table_is_made_from_the_fields() throws Exception {
    String page = Files.readString(Path.of("../docs/trace.md"));
    assertThat(page).contains(EventFields.markdownTable());
  }

  @Test
  void each_name_is_given_once_per_format() {
    for (List<String> names :
        List.of(
            EventFields.ALL.stream()
                .map(EventFields.Field::column)
                .filter(Objects::nonNull)
                .toList(),
            EventFields.ALL.stream().map(EventFields.Field::json).filter(Objects::nonNull).toList(),
            EventFields.ALL.stream()
                .map(EventFields.Field::otlp)
                .filter(Objects::nonNull)
                .toList())) {
      assertThat(names).doesNotHaveDuplicates();
    }
  }

  /**
   * The audit flag, one way per format: 1, 0, ? in columns; 1, 0, null in JSON (Inspektor
   * Gadget's).
   */
  @Test
  void a_flag_is_written_one_way_per_format() {
    EventFormat audit = EventFormat.columns(List.of("audit"));
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    CheckEvent audited = CheckEvents.chrootDenied(1, now);
    CheckEvent probe = CheckEvents.mmapProbe(1, now);
    CheckEvent unknown = CheckEvents.withAudit(probe, Flag.UNKNOWN);

    assertThat(
            List.of(audit.row(audited, false), audit.row(probe, false), audit.row(unknown, false)))
        .containsExactly("1", "0", "?");
    JsonObject json = new JsonObject(EventFormat.json(unknown));
    assertThat(json.containsKey("audit")).isTrue();
    assertThat(json.getValue("audit")).isNull();
    assertThat(new JsonObject(EventFormat.json(audited)).getValue("audit")).isEqualTo(1);
    assertThat(new JsonObject(EventFormat.json(probe)).getValue("audit")).isEqualTo(0);
  }
}
