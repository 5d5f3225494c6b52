package io.capabilityexporter.http;

import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.webconfig.WebConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link MetricsServer} on 127.0.0.1 with a fake scrape that takes a little while (as a real one
 * does, on its worker thread), for tests that talk to it over loopback.
 */
final class TestServer implements AutoCloseable {
  static final String BODY = "capability_checks_total 1\n";

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Vertx vertx;
  final MetricsServer server;
  final int port;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  TestServer(HttpLimits limits, JsonBody profiles) throws Exception {
    this(limits, profiles, () -> WebConfig.NONE);
  }

  TestServer(HttpLimits limits, JsonBody profiles, Supplier<WebConfig> webConfig) throws Exception {
    this(limits, profiles, webConfig, null);
  }

  TestServer(
      HttpLimits limits,
      JsonBody profiles,
      Supplier<WebConfig> webConfig,
      io.capabilityexporter.events.EventStreams events)
      throws Exception {
    vertx = MetricsServer.newVertx(limits);
    server =
        new MetricsServer(
            vertx,
            new MetricsServer.Endpoints(
                "/metrics", TestServer::scrape, () -> true, profiles, events),
            limits,
            registry,
            webConfig);
    port =
        server
            .listen("127.0.0.1", 0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  private static String scrape(boolean openMetrics, OutputStream out) throws Exception {
    Thread.sleep(50);
    out.write(BODY.getBytes(StandardCharsets.UTF_8));
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A self metric's value now, as a scrape of the registry shows it. */
  double metric(String series) {
    return Exposition.value(registry.scrape(), series)
        .orElseThrow(() -> new AssertionError("no " + series + " in\n" + registry.scrape()));
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
