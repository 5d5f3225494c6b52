package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Command RUN =
      Command.withFlags(
          "run",
          "count",
          "Counts.",
          List.of(
              Flag.value("web.listen-address", "HOST:PORT", "where to serve HTTP")
                  .withDefault(":9741"),
              Flag.value("web.listen-port", "PORT", "a flag as close to a typo as the one above"),
              Flag.value("series.grace-period", "DURATION", "how long series stay"),
              Flag.value("output", "FORMAT", "the format").withShortName("o"),
              Flag.toggle("unique", "once each")),
          "",
          (args, out, err) -> 0);

  @Test
  void takes_both_spellings() throws Exception {
    Flags flags =
        Flags.parse(RUN, List.of("--web.listen-address", ":1", "--series.grace-period=90s"));
    assertThat(flags.get("web.listen-address")).isEqualTo(":1");
    assertThat(flags.duration("series.grace-period")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void a_flag_not_given_has_its_declared_default_or_none() throws Exception {
    Flags flags = Flags.parse(RUN, List.of());
    assertThat(flags.get("web.listen-address")).isEqualTo(":9741");
    assertThat(flags.has("web.listen-address")).isFalse();
    assertThat(flags.get("series.grace-period")).isNull();
  }

  @Test
  void a_short_name_and_a_switch() throws Exception {
    assertThat(Flags.parse(RUN, List.of("-o", "json")).get("output")).isEqualTo("json");
    assertThat(Flags.parse(RUN, List.of("-o=json")).get("output")).isEqualTo("json");
    Flags flags = Flags.parse(RUN, List.of("--unique", "-o", "yaml"));
    assertThat(flags.has("unique")).isTrue();
    assertThat(flags.get("output")).isEqualTo("yaml");
  }

  @Test
  void names_a_flag_without_its_value() {
    assertThatThrownBy(() -> Flags.parse(RUN, List.of("--web.listen-address")))
        .hasMessage("run: flag --web.listen-address needs a value");
  }

  @Test
  void names_an_unknown_flag_the_closest_known_one_and_the_known_ones_in_their_order() {
    assertThatThrownBy(() -> Flags.parse(RUN, List.of("--web.listen-adress=:1")))
        .hasMessage(
            "run: unknown flag --web.listen-adress (did you mean --web.listen-address?); known"
                + " flags: --web.listen-address, --web.listen-port, --series.grace-period,"
                + " --output, --unique");
  }

  @Test
  void of_two_known_flags_as_close_the_first_declared_is_suggested() {
    assertThatThrownBy(() -> Flags.parse(RUN, List.of("--web.listen-por=1")))
        .hasMessageStartingWith(
            "run: unknown flag --web.listen-por (did you mean --web.listen-port?)");
    Command tied =
        Command.withFlags(
            "x",
            "",
            "",
            List.of(Flag.toggle("ab", ""), Flag.toggle("ba", ""), Flag.toggle("aa", "")),
            "",
            (args, out, err) -> 0);
    assertThatThrownBy(() -> Flags.parse(tied, List.of("--ax")))
        .hasMessageStartingWith("x: unknown flag --ax (did you mean --ab?)");
  }

  @Test
  void an_unknown_flag_far_from_every_known_one_gets_no_suggestion() {
    assertThatThrownBy(() -> Flags.parse(RUN, List.of("--colour")))
        .hasMessageStartingWith("run: unknown flag --colour; known flags: --");
  }

  @Test
  void an_argument_that_is_not_a_flag_is_refused_by_a_command_without_operands() {
    assertThatThrownBy(() -> Flags.parse(RUN, List.of("serve")))
        .hasMessage("run: unexpected argument 'serve'; see `capability-exporter run --help`");
  }

  @Test
  void names_a_malformed_duration_and_shows_the_form() throws Exception {
    Flags flags = Flags.parse(RUN, List.of("--series.grace-period=5 minutes"));
    assertThatThrownBy(() -> flags.duration("series.grace-period"))
        .hasMessage("--series.grace-period=5 minutes is not a duration: write it as 90s, 5m or 1h");
  }

  private static final Command SIZED =
      Command.withFlags(
          "sized",
          "size",
          "Sizes.",
          List.of(Flag.value("ring", "BYTES", "a ring's size")),
          "",
          (args, out, err) -> 0);

  @Test
  void takes_a_power_of_two_in_bytes_or_kib_or_mib_and_names_anything_else() throws Exception {
    assertThat(Flags.parse(SIZED, List.of("--ring=4MiB")).powerOfTwo("ring", 4096, 1 << 30))
        .isEqualTo(4 << 20);
    assertThat(Flags.parse(SIZED, List.of("--ring=64KiB")).powerOfTwo("ring", 4096, 1 << 30))
        .isEqualTo(65_536);
    assertThat(Flags.parse(SIZED, List.of("--ring=8192")).powerOfTwo("ring", 4096, 1 << 30))
        .isEqualTo(8192);
    for (String bad : List.of("3MiB", "1024", "2GiB", "lots", "4096MiB")) {
      Flags flags = Flags.parse(SIZED, List.of("--ring=" + bad));
      assertThatThrownBy(() -> flags.powerOfTwo("ring", 4096, 1 << 30))
          .hasMessage("--ring=" + bad + " is not a power of two from 4096 to 1073741824");
    }
  }
}
