package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** The start-up line's URL: what a user pastes into curl. */
  @ParameterizedTest
  @CsvSource({
    "[::1]:9741, 9741, [::1]:9741",
    "[::]:0, 40123, [::]:40123",
    ":9741, 9741, 0.0.0.0:9741",
    "node-1.example:0, 40123, node-1.example:40123",
  })
  void names_the_bound_address_as_a_url_does(String value, int bound, String authority)
      throws Exception {
    assertThat(ListenAddress.parse(value).authority(bound)).isEqualTo(authority);
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
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(value + " is invalid: " + why)
        .hasMessageContaining("expected HOST:PORT");
  }
}
