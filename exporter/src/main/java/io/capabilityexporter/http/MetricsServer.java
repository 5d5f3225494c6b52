package io.capabilityexporter.http;

import io.capabilityexporter.events.EventStreams;
import io.capabilityexporter.webconfig.TlsOptions;
import io.capabilityexporter.webconfig.WebConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The exporter's HTTP surface: the telemetry path (Prometheus text, OpenMetrics on Accept), {@code
 * /healthz} (alive), {@code /readyz} (probe attached) and the profiles, within {@link HttpLimits}.
 */
public final class MetricsServer {
  public static final String PROFILES_PATH = "/api/v1/profiles";
  public static final String EVENTS_PATH = "/api/v1/events";

  /** What the server serves. */
  public record Endpoints(
      String telemetryPath,
      Scrapes scrapes,
      BooleanSupplier ready,
      JsonBody profiles,
      EventStreams events) {
    /**
     * @param profiles the recorded profiles as JSON, served at {@value #PROFILES_PATH}; null when
     *     profiles are off
     * @param events the check events, streamed at {@value #EVENTS_PATH}; null when they are off
     */
    public Endpoints {}

    public Endpoints(
        String telemetryPath, Scrapes scrapes, BooleanSupplier ready, JsonBody profiles) {
      this(telemetryPath, scrapes, ready, profiles, null);
    }
  }

  private final Vertx vertx;
  private final Endpoints endpoints;
  private final HttpLimits limits;
  private final HttpMetrics metrics;
  private final ConnectionGuard guard;
  private final WorkerExecutor scrapeThread;
  private final WorkerExecutor profilesThread;
  private final MetricsEndpoint metricsEndpoint;
  private final ProfilesEndpoint profilesEndpoint;
  private final EventsEndpoint eventsEndpoint;
  private final WorkerExecutor bcryptThread;
  private final Supplier<WebConfig> webConfig;
  private final AccessControl access;
  private HttpServer server;

  /**
   * @param webConfig the web config in force ({@code --web.config.file}), asked at every request:
   *     its TLS at {@link #listen}, then through {@link #updateTls}
   */
  public MetricsServer(
      Vertx vertx,
      Endpoints endpoints,
      HttpLimits limits,
      MeterRegistry registry,
      Supplier<WebConfig> webConfig) {
    this.webConfig = webConfig;
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.limits = limits;
    this.metrics = new HttpMetrics(registry);
    this.guard = new ConnectionGuard(vertx, limits, metrics);
    // A scrape that takes this long is stuck; Vert.x logs a blocked-thread warning after it.
    this.scrapeThread =
        vertx.createSharedWorkerExecutor("capability-exporter-scrape", 1, 60, TimeUnit.SECONDS);
    this.profilesThread =
        vertx.createSharedWorkerExecutor("capability-exporter-profiles", 1, 60, TimeUnit.SECONDS);
    this.bcryptThread =
        vertx.createSharedWorkerExecutor("capability-exporter-bcrypt", 1, 60, TimeUnit.SECONDS);
    this.access = new AccessControl(webConfig, bcryptThread, metrics);
    this.metricsEndpoint = new MetricsEndpoint(scrapeThread, endpoints.scrapes());
    this.profilesEndpoint =
        endpoints.profiles() == null
            ? null
            : new ProfilesEndpoint(
                profilesThread, endpoints.profiles(), limits.maxProfileClients(), metrics);
    this.eventsEndpoint =
        endpoints.events() == null ? null : new EventsEndpoint(vertx, endpoints.events());
  }

  /**
   * A Vert.x for this server: its connections may be half-closed by clients, and it accepts at most
   * {@link HttpLimits#acceptLimit()} at once.
   */
  public static Vertx newVertx(HttpLimits limits) {
    return HalfCloseTransport.vertx(limits.acceptLimit());
  }

  /** Completes with the bound port once listening. */
  public Future<Integer> listen(String host, int port) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            // Nothing here takes a body or a long header: refuse large requests early.
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(8192)
            // HTTP/2 without TLS is something no scraper needs (Go's servers, node_exporter's
            // among them, do not speak it either): neither prior knowledge nor Upgrade: h2c.
            .setHttp2ClearTextEnabled(false)
            .setIdleTimeout((int) limits.idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    WebConfig web = webConfig.get();
    if (web.tls().isPresent()) {
      // Setting a key makes the options' SSL part, which apply() then fills in.
      options
          .setSsl(true)
          .setAlpnVersions(alpn(web))
          .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions());
      TlsOptions.apply(web.tls().get(), web.http2(), options.getSslOptions());
    }
    server = vertx.createHttpServer(options);
    return server
        .connectionHandler(guard)
        .requestHandler(this::handle)
        .listen()
        .map(HttpServer::actualPort);
  }

  private static List<HttpVersion> alpn(WebConfig web) {
    return web.http2()
        ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)
        : List.of(HttpVersion.HTTP_1_1);
  }

  /**
   * Puts a reloaded config's TLS material into service for the next handshakes; the connections
   * open keep theirs. Blocks until Vert.x has it; false if it was refused.
   */
  public boolean updateTls(WebConfig web) throws Exception {
    ServerSSLOptions options =
        TlsOptions.apply(web.tls().orElseThrow(), web.http2(), new ServerSSLOptions());
    return server
        .updateSSLOptions(options, true)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest request) {
    guard.requestArrived(request);
    access
        .admit(request)
        .onSuccess(
            admitted -> {
              if (admitted) {
                route(request);
              }
            })
        .onFailure(error -> Responses.text(request, 500, "internal error\n"));
  }

  private void route(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    String path = request.path();
    if (path.equals(endpoints.telemetryPath())) {
      metricsEndpoint.handle(request);
    } else if (path.equals("/healthz")) {
      Responses.text(request, 200, "ok\n");
    } else if (path.equals("/readyz")) {
      boolean isReady = endpoints.ready().getAsBoolean();
      Responses.text(request, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
    } else if (path.equals(PROFILES_PATH)) {
      if (profilesEndpoint == null) {
        Responses.text(
            request, 404, "profiles are off: run the exporter with --profiles.file=PATH\n");
      } else {
        profilesEndpoint.handle(request);
      }
    } else if (path.equals(EVENTS_PATH)) {
      if (eventsEndpoint == null) {
        Responses.text(
            request,
            404,
            "check events are off: run the exporter with --profiles.file=PATH (the chart's"
                + " default) or an OTLP endpoint\n");
      } else {
        eventsEndpoint.handle(request);
      }
    } else if (path.equals("/")) {
      Responses.text(
          request,
          200,
          "capability-exporter: "
              + endpoints.telemetryPath()
              + " /healthz /readyz "
              + PROFILES_PATH
              + " "
              + EVENTS_PATH
              + "\n");
    } else {
      Responses.text(request, 404, "not found\n");
    }
  }

  public Future<Void> close() {
    scrapeThread.close();
    profilesThread.close();
    bcryptThread.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
