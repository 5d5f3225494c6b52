package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

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
  void so_does_an_http_1_1_client_whose_connection_then_ends_as_any_idle_one() throws Exception {
    try (TestServer quick =
            new TestServer(
                HttpLimits.defaults().withRequestTimeout(java.time.Duration.ofMillis(500)), null);
        RawConnection client = new RawConnection(quick.port)) {
      client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n");
      client.socket.shutdownOutput();
      String reply = client.readToEnd(10_000);
      assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith(TestServer.BODY);
    }
  }
}
