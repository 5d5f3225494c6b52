package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Set<String> KNOWN = Set.of("web.listen-address", "series.grace-period");

  @Test
  void takes_both_spellings() throws Exception {
    Flags flags =
        Flags.parse(
            "run",
            List.of("--web.listen-address", ":1", "--series.grace-period=90s"),
            KNOWN,
            Set.of());
    assertThat(flags.get("web.listen-address", "")).isEqualTo(":1");
    assertThat(flags.duration("series.grace-period", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void names_a_flag_without_its_value() {
    assertThatThrownBy(() -> Flags.parse("run", List.of("--web.listen-address"), KNOWN, Set.of()))
        .hasMessage("run: flag --web.listen-address needs a value");
  }

  @Test
  void names_an_unknown_flag_and_lists_the_known_ones() {
    assertThatThrownBy(() -> Flags.parse("run", List.of("--web.listen-adress=:1"), KNOWN, Set.of()))
        .hasMessageStartingWith("run: unknown flag --web.listen-adress; known flags: --");
  }

  @Test
  void names_a_malformed_duration_and_shows_the_form() throws Exception {
    Flags flags = Flags.parse("run", List.of("--series.grace-period=5 minutes"), KNOWN, Set.of());
    assertThatThrownBy(() -> flags.duration("series.grace-period", Duration.ZERO))
        .hasMessage("--series.grace-period=5 minutes is not a duration: write it as 90s, 5m or 1h");
  }
}
