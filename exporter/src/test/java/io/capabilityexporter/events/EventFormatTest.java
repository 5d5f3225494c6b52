package io.capabilityexporter.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.profiles.CheckEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFormatTest {

  /**
   * A window's repeats arrive as a second row of the same tuple: by default the row says how many
   * checks it stands for, so a person tells a repeat from a second call.
   */
  @Test
  void the_default_columns_show_how_many_checks_a_row_stands_for() {
    EventFormat format = EventFormat.columns(EventFormat.DEFAULT_COLUMNS);
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    String header = format.header();
    int count = header.indexOf("COUNT");
    String first = format.row(CheckEvents.chrootDenied(1, now), false);
    String repeats = format.row(CheckEvents.chrootDenied(999, now.plusSeconds(1)), false);

    assertThat(List.of(header.split(" +"))).endsWith("VERDICT", "COUNT", "REASON");
    assertThat(first.substring(count).split(" +")[0]).isEqualTo("1");
    assertThat(repeats.substring(count).split(" +")[0]).isEqualTo("999");
    // The same tuple in every other column (TIME aside): only COUNT tells the rows apart.
    int afterTime = header.indexOf("NAMESPACE");
    assertThat(repeats.substring(afterTime, count)).isEqualTo(first.substring(afterTime, count));
  }
}
