package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its request and then shuts down its side ({@code printf 'GET /metrics
 * HTTP/1.0\r\n\r\n' | nc -N}) gets its reply, though the scrape answers after the end of its input.
 */
class HalfCloseTest {
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new TestServer(HttpLimits.defaults(), null);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void a_client_that_half_closes_after_its_request_still_gets_the_metrics() throws Exception {
    try (RawConnection client = new RawConnection(server.port)) {
      client.send("GET /metrics HTTP/1.0\r\n\r\n");
      client.socket.shutdownOutput();
      String reply = client.readToEnd(10_000);
      assertThat(reply).startsWith("HTTP/1.0 200 OK").endsWith(TestServer.BODY);
    }
  }

  @Test
  void an_http_1_1_client_gets_its_reply_and_then_the_connection_ends_at_once() throws Exception {
    // A request timeout far longer than the read below waits: only the half-close ends it.
    try (TestServer patient =
            new TestServer(HttpLimits.defaults().withRequestTimeout(Duration.ofMinutes(5)), null);
        RawConnection client = new RawConnection(patient.port)) {
      client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n");
      client.socket.shutdownOutput();
      String reply = client.readToEnd(10_000);
      assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith(TestServer.BODY);
    }
  }

  @Test
  void a_connection_half_closed_before_any_request_is_closed_at_once() throws Exception {
    try (TestServer patient =
            new TestServer(HttpLimits.defaults().withRequestTimeout(Duration.ofMinutes(5)), null);
        RawConnection client = new RawConnection(patient.port)) {
      client.socket.shutdownOutput();
      assertThat(client.closedByServer(10_000)).isTrue();
    }
  }
}
