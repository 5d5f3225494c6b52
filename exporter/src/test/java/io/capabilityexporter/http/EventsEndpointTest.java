package io.capabilityexporter.http;

import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.events.EventStreams;
import io.capabilityexporter.webconfig.WebConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/events}: the node's events filtered by the query, as lines; a client that stops
 * reading costs the exporter its stream's bounded queue and is told what it lost.
 */
class EventsEndpointTest {
  private static Socket stream(TestServer server, String query, int receiveBuffer)
      throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /api/v1/events" + query + " HTTP/1.1\r\nHost: exporter\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** The first line that contains {@code wanted}, past the headers and chunk sizes. */
  private static String lineWith(BufferedReader in, String wanted) throws Exception {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.contains(wanted)) {
        return line;
      }
    }
    throw new AssertionError("no line with " + wanted);
  }

  @Test
  void only_the_events_the_query_asks_for_are_sent() throws Exception {
    EventStreams events = new EventStreams(io.capabilityexporter.domain.PodLookup.NONE);
    try (TestServer server =
            new TestServer(HttpLimits.defaults(), null, () -> WebConfig.NONE, events);
        Socket socket = stream(server, "?cap=SYS_NICE&verdict=deny", 1 << 16)) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lineWith(in, "HTTP/1.1")).contains("200");
      Instant deadline = Instant.now().plusSeconds(5);
      while (events.streamsOpen() == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
      events.accept(chrootDenied(1, T0));
      events.accept(niceDenied(1, T0.plusSeconds(1)));
      String line = lineWith(in, "{");
      assertThat(line).contains("\"capName\":\"SYS_NICE\"").contains("\"verdict\":\"Deny\"");
    }
  }

  @Test
  void a_query_the_exporter_cannot_take_is_refused_with_what_to_write() throws Exception {
    try (TestServer server =
        new TestServer(
            HttpLimits.defaults(),
            null,
            () -> WebConfig.NONE,
            new EventStreams(io.capabilityexporter.domain.PodLookup.NONE))) {
      var response = server.get("/api/v1/events?cap=SYS_NOPE");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains("cap: unknown capability 'SYS_NOPE'");
      assertThat(server.get("/api/v1/events?selector=app%20in").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void a_client_that_stops_reading_loses_events_counted_and_told_not_the_exporters_memory()
      throws Exception {
    EventStreams events = new EventStreams(io.capabilityexporter.domain.PodLookup.NONE);
    try (TestServer server =
            new TestServer(HttpLimits.defaults(), null, () -> WebConfig.NONE, events);
        Socket socket = stream(server, "", 4096)) {
      Instant deadline = Instant.now().plusSeconds(30);
      while (events.streamsOpen() == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
      // Not reading: the socket's buffers and the server's write queue fill, then the stream's.
      long sent = 0;
      while (events.dropped() == 0 && Instant.now().isBefore(deadline)) {
        for (int i = 0; i < 1000; i++) {
          events.accept(chrootDenied(1, T0.plusMillis(sent++)));
        }
        Thread.sleep(5);
      }
      assertThat(events.dropped()).as("dropped after %d sent", sent).isPositive();
      assertThat(sent - events.dropped())
          .as("what the exporter held for the client: its queue and the sockets' buffers")
          .isLessThan(EventStreams.QUEUE + 200_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lineWith(in, "{\"dropped\":")).matches("\\{\"dropped\":\\d+\\}");
    }
  }
}
