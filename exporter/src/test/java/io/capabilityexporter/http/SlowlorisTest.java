package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their headers a line at a time, never finishing: each byte resets Vert.x's idle
 * timeout, so only the request timeout ends them.
 */
class SlowlorisTest {
  private static final int CLIENTS = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void connections_that_never_finish_their_request_are_closed_and_counted() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (TestServer server =
        new TestServer(HttpLimits.defaults().withRequestTimeout(TIMEOUT), null)) {
      List<Future<Integer>> headerLinesSent = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        headerLinesSent.add(clients.submit(() -> dribble(server.port)));
      }
      for (Future<Integer> lines : headerLinesSent) {
        // Closed while still sending, after about the timeout (a line every 100 ms), and long
        // before the 100 lines the client would send in 10 s.
        assertThat(lines.get(30, TimeUnit.SECONDS)).isBetween(5, 60);
      }
      assertThat(
              server.metric(
                  "capability_exporter_http_connections_closed_total{reason=\"request_timeout\"}"))
          .isEqualTo(CLIENTS);
      assertThat(server.get("/metrics").body()).isEqualTo(TestServer.BODY);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Header lines sent until the server closed the connection (or 100 were). */
  private static int dribble(int port) throws IOException, InterruptedException {
    try (RawConnection client = new RawConnection(port)) {
      client.send("GET /metrics HTTP/1.1\r\nHost: test\r\n");
      for (int line = 1; line <= 100; line++) {
        if (client.closedByServer(100)) {
          return line;
        }
        try {
          client.send("X-Slow-" + line + ": 1\r\n");
        } catch (IOException e) {
          return line; // reset by the server
        }
      }
      return 100;
    }
  }
}
