package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A flood of idle connections beyond --web.max-connections. */
class ConnectionLimitTest {
  private static final int CAP = 20;
  private static final String CLOSED_AT_LIMIT =
      "capability_exporter_http_connections_closed_total{reason=\"limit\"}";

  private TestServer server;
  private final List<RawConnection> idle = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    // A request timeout long enough that only the cap closes anything here.
    server =
        new TestServer(
            HttpLimits.defaults().withMaxConnections(CAP).withRequestTimeout(Duration.ofMinutes(5)),
            null);
  }

  @AfterEach
  void stop() throws Exception {
    for (RawConnection connection : idle) {
      connection.close();
    }
    server.close();
  }

  @Test
  void the_longest_waiting_are_closed_and_counted_and_a_scrape_still_gets_in() throws Exception {
    for (int i = 0; i < 2 * CAP; i++) {
      idle.add(new RawConnection(server.port));
      // One at a time, so that the first ones have waited longest.
      while (server.metric("capability_exporter_http_connections") + server.metric(CLOSED_AT_LIMIT)
          < i + 1) {
        Thread.sleep(5);
      }
    }
    List<Boolean> closed = new ArrayList<>();
    for (RawConnection connection : idle) {
      closed.add(connection.closedByServer(200));
    }
    assertThat(closed.subList(CAP, 2 * CAP)).as("the newest idle connections").containsOnly(false);
    assertThat(closed.subList(0, CAP)).as("the oldest").containsOnly(true);
    assertThat(server.metric("capability_exporter_http_connections")).isEqualTo(CAP);

    assertThat(server.metric(CLOSED_AT_LIMIT)).isEqualTo(CAP);
    assertThat(server.get("/metrics").body()).isEqualTo(TestServer.BODY);
    assertThat(server.metric(CLOSED_AT_LIMIT)).isEqualTo(CAP + 1);
    assertThat(idle.get(CAP).closedByServer(2_000))
        .as("the oldest idle connection left made room for the scrape")
        .isTrue();
  }

  @Test
  void when_every_connection_is_being_answered_the_new_one_is_closed() throws Exception {
    try (TestServer busy =
        new TestServer(
            HttpLimits.defaults().withMaxConnections(1),
            out -> {
              sleep(3_000);
              out.write('{');
              out.write('}');
            })) {
      var slow =
          busy.http.sendAsync(
              java.net.http.HttpRequest.newBuilder(busy.uri(MetricsServer.PROFILES_PATH)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      while (busy.metric("capability_exporter_http_profile_requests_in_flight") < 1) {
        Thread.sleep(10);
      }
      try (RawConnection extra = new RawConnection(busy.port)) {
        assertThat(extra.closedByServer(2_000)).isTrue();
      }
      assertThat(busy.metric(CLOSED_AT_LIMIT)).isEqualTo(1);
      assertThat(slow.get().statusCode()).isEqualTo(200);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
