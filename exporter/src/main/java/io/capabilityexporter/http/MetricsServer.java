package io.capabilityexporter.http;

import io.capabilityexporter.metrics.Scraper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The exporter's HTTP surface: the telemetry path (Prometheus text, OpenMetrics on Accept), {@code
 * /healthz} (alive) and {@code /readyz} (probe attached). Scrapes run on a worker thread, one at a
 * time, since they read kernel maps with blocking system calls.
 */
public final class MetricsServer {
  private static final String TEXT = "text/plain; charset=utf-8";

  private final Vertx vertx;
  private final Scraper scraper;
  private final String telemetryPath;
  private final BooleanSupplier ready;
  private final Supplier<String> profiles;
  private final Map<Boolean, Future<Scraper.Exposition>> inFlight = new HashMap<>();
  private HttpServer server;

  public MetricsServer(Vertx vertx, Scraper scraper, String telemetryPath, BooleanSupplier ready) {
    this(vertx, scraper, telemetryPath, ready, null);
  }

  /**
   * @param profiles the recorded profiles as JSON, served at {@value #PROFILES_PATH}; null when
   *     profiles are off
   */
  public MetricsServer(
      Vertx vertx,
      Scraper scraper,
      String telemetryPath,
      BooleanSupplier ready,
      Supplier<String> profiles) {
    this.vertx = vertx;
    this.scraper = scraper;
    this.telemetryPath = telemetryPath;
    this.ready = ready;
    this.profiles = profiles;
  }

  public static final String PROFILES_PATH = "/api/v1/profiles";

  /** Completes with the bound port once listening. */
  public Future<Integer> listen(String host, int port) {
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                // Nothing here takes a body or a long header: refuse large requests early.
                .setMaxInitialLineLength(4096)
                .setMaxHeaderSize(8192));
    return server.requestHandler(this::handle).listen().map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    String path = request.path();
    if (path.equals(telemetryPath)) {
      metrics(request);
    } else if (path.equals("/healthz")) {
      text(request, 200, "ok\n");
    } else if (path.equals("/readyz")) {
      boolean isReady = ready.getAsBoolean();
      text(request, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
    } else if (path.equals(PROFILES_PATH)) {
      profiles(request);
    } else if (path.equals("/")) {
      text(
          request,
          200,
          "capability-exporter: " + telemetryPath + " /healthz /readyz " + PROFILES_PATH + "\n");
    } else {
      text(request, 404, "not found\n");
    }
  }

  /**
   * Requests that arrive while a scrape is running share its result instead of queueing behind it:
   * a burst of scrapers costs one kernel read and one rendering. Runs on the server's event loop,
   * so the map needs no lock.
   */
  private void metrics(HttpServerRequest request) {
    boolean openMetrics = Scraper.wantsOpenMetrics(request.getHeader("Accept"));
    Future<Scraper.Exposition> scrape = inFlight.get(openMetrics);
    if (scrape == null) {
      scrape = vertx.executeBlocking(() -> scraper.scrape(openMetrics));
      inFlight.put(openMetrics, scrape);
      scrape.onComplete(done -> inFlight.remove(openMetrics));
    }
    scrape
        .onSuccess(
            exposition ->
                request
                    .response()
                    .putHeader("Content-Type", exposition.contentType())
                    .end(exposition.body()))
        .onFailure(error -> text(request, 500, "scrape failed: " + error.getMessage() + "\n"));
  }

  private void profiles(HttpServerRequest request) {
    if (profiles == null) {
      text(request, 404, "profiles are off: run the exporter with --profiles.file=PATH\n");
      return;
    }
    vertx
        .executeBlocking(profiles::get)
        .onSuccess(
            json -> request.response().putHeader("Content-Type", "application/json").end(json))
        .onFailure(error -> text(request, 500, "profiles failed: " + error.getMessage() + "\n"));
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", TEXT).end(body);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
