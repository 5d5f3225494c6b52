package io.capabilityexporter.http;

import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventFormat;
import io.capabilityexporter.events.EventStreams;
import io.capabilityexporter.events.TraceFilter;
import io.capabilityexporter.selectors.LabelSelector;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@value MetricsServer#EVENTS_PATH}: the node's check events as they come, one JSON object a line
 * ({@code trace -o json}'s), filtered here by the query ({@code namespace}, {@code pod}, {@code
 * container}, {@code comm}, {@code cap}, {@code verdict}, {@code origin}: {@code trace}'s flags),
 * so only what was asked crosses the wire. Sent as fast as the client reads: what it cannot take
 * waits in its stream's bounded queue, and beyond that is dropped, counted, and said in the stream
 * as {@code {"dropped": N}}.
 */
final class EventsEndpoint {
  static final long TICK_MILLIS = 100;

  /** An empty line this often keeps a quiet stream from the idle timeout, and tells it is alive. */
  static final long HEARTBEAT_MILLIS = 5000;

  /** At most this much is written in one tick: the event loop serves other connections too. */
  static final int MAX_TICK_BYTES = 256 << 10;

  private final Vertx vertx;
  private final EventStreams streams;

  EventsEndpoint(Vertx vertx, EventStreams streams) {
    this.vertx = vertx;
    this.streams = streams;
  }

  void handle(HttpServerRequest request) {
    Predicate<CheckEvent> filter;
    try {
      filter =
          new TraceFilter(
                  request.getParam("namespace"),
                  request.getParam("pod"),
                  request.getParam("container"),
                  request.getParam("comm"),
                  request.getParam("cap"),
                  request.getParam("verdict"),
                  request.getParam("origin"),
                  false)
              .predicate("");
      String selector = request.getParam("selector");
      if (selector != null) {
        filter = filter.and(streams.selecting(LabelSelector.parse(selector)));
      }
    } catch (IllegalArgumentException e) {
      Responses.text(request, 400, e.getMessage() + "\n");
      return;
    }
    Optional<EventStreams.Stream> opened = streams.open(filter);
    if (opened.isEmpty()) {
      request.response().putHeader("Retry-After", "10");
      Responses.text(
          request,
          503,
          "busy: " + EventStreams.MAX_STREAMS + " clients are streaming events; retry later\n");
      return;
    }
    EventStreams.Stream stream = opened.get();
    HttpServerResponse response =
        request
            .response()
            .setChunked(true)
            .putHeader("Content-Type", "application/x-ndjson")
            .putHeader("Cache-Control", "no-store");
    if (request.method() == HttpMethod.HEAD) {
      stream.close();
      response.end();
      return;
    }
    response.write(""); // the headers now: the client knows the stream is open
    long[] quietSince = {System.currentTimeMillis()};
    long timer =
        vertx.setPeriodic(
            TICK_MILLIS,
            id -> {
              if (response.ended() || response.closed()) {
                vertx.cancelTimer(id);
                stream.close();
                return;
              }
              Buffer batch = Buffer.buffer();
              long dropped = stream.takeDropped();
              if (dropped > 0) {
                batch.appendString("{\"dropped\":" + dropped + "}\n");
              }
              while (!response.writeQueueFull() && batch.length() < MAX_TICK_BYTES) {
                CheckEvent event = stream.poll();
                if (event == null) {
                  break;
                }
                batch.appendString(EventFormat.json(event)).appendString("\n");
              }
              long now = System.currentTimeMillis();
              if (batch.length() == 0 && now - quietSince[0] >= HEARTBEAT_MILLIS) {
                batch.appendString("\n");
              }
              if (batch.length() > 0) {
                quietSince[0] = now;
                response.write(batch);
              }
            });
    response.closeHandler(
        closed -> {
          vertx.cancelTimer(timer);
          stream.close();
        });
    response.exceptionHandler(
        error -> {
          vertx.cancelTimer(timer);
          stream.close();
        });
  }
}
