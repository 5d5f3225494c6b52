package io.capabilityexporter.http;

import io.capabilityexporter.metrics.Scraper;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The telemetry path. Scrapes run on a worker thread of their own, one at a time (they read kernel
 * maps with blocking system calls), so that nothing else the server does, a profiles rendering
 * above all, can make a scrape wait for a thread.
 */
final class MetricsEndpoint {
  private record Rendered(String contentType, Buffer body) {}

  private final WorkerExecutor executor;
  private final Scrapes scrapes;
  private final Coalescing<Boolean, Rendered> inFlight = new Coalescing<>();

  MetricsEndpoint(WorkerExecutor executor, Scrapes scrapes) {
    this.executor = executor;
    this.scrapes = scrapes;
  }

  void handle(HttpServerRequest request) {
    boolean openMetrics = Scraper.wantsOpenMetrics(request.getHeader("Accept"));
    Future<Rendered> scrape =
        inFlight.join(
            openMetrics,
            () ->
                executor.executeBlocking(
                    () -> {
                      Scraper.Exposition exposition = scrapes.scrape(openMetrics);
                      // Encoded once for every client that shares this scrape.
                      return new Rendered(
                          exposition.contentType(), Buffer.buffer(exposition.body()));
                    },
                    false));
    scrape
        .onSuccess(
            rendered ->
                request
                    .response()
                    .putHeader("Content-Type", rendered.contentType())
                    .end(rendered.body()))
        .onFailure(
            error -> Responses.text(request, 500, "scrape failed: " + error.getMessage() + "\n"));
  }
}
