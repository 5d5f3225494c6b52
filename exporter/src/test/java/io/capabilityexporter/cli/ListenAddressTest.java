package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenAddressTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:9741, 127.0.0.1, 9741",
    ":9741, 0.0.0.0, 9741",
    "[::1]:80, ::1, 80",
    "node-1.example:0, node-1.example, 0",
  })
  void parses_host_and_port(String value, String host, int port) throws Exception {
    assertThat(ListenAddress.parse(value)).isEqualTo(new ListenAddress(host, port));
  }

  @ParameterizedTest
  @CsvSource({
    "localhost, it has no port",
    "localhost:http, the port is not a number",
    "localhost:70000, the port is not between 0 and 65535",
    "::1:80, write an IPv6 host in brackets",
    "a/b:80, the host is not a name or an address",
  })
  void names_what_is_wrong(String value, String why) {
    assertThatThrownBy(() -> ListenAddress.parse(value))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--web.listen-address=" + value + " is invalid: " + why)
        .hasMessageContaining("expected HOST:PORT");
  }

  @Test
  void flags_take_both_spellings_and_refuse_unknown_ones() throws Exception {
    Flags flags =
        Flags.parse(
            "run",
            java.util.List.of("--web.listen-address", ":1", "--web.telemetry-path=/m"),
            java.util.Set.of("web.listen-address", "web.telemetry-path"),
            java.util.Set.of());
    assertThat(flags.get("web.listen-address", "")).isEqualTo(":1");
    assertThat(flags.get("web.telemetry-path", "")).isEqualTo("/m");
    assertThatThrownBy(
            () ->
                Flags.parse(
                    "run", java.util.List.of("--web.listen-address"),
                    java.util.Set.of("web.listen-address"), java.util.Set.of()))
        .hasMessage("run: flag --web.listen-address needs a value");
  }
}
