package io.capabilityexporter.node;

import io.capabilityexporter.http.MetricsServer;
import io.capabilityexporter.privileges.LeastPrivilege;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.webconfig.WebConfig;
import io.capabilityexporter.webconfig.WebConfigReloader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The exporter as {@code run} runs it: served over HTTP, its web config followed, and then, with
 * the program attached, the port bound and the kernel's symbols read, every privilege it no longer
 * needs dropped.
 */
public final class ServedExporter implements AutoCloseable {
  private final Exporter exporter;
  private final Serving serving;
  private final Vertx vertx;
  private final int port;
  private final WebConfigReloader reloader;
  private final String privileges;

  private ServedExporter(
      Exporter exporter,
      Serving serving,
      Vertx vertx,
      int port,
      WebConfigReloader reloader,
      String privileges) {
    this.exporter = exporter;
    this.serving = serving;
    this.vertx = vertx;
    this.port = port;
    this.reloader = reloader;
    this.privileges = privileges;
  }

  /**
   * Serves {@code exporter}, which it closes when it cannot.
   *
   * @throws IOException the address cannot be listened on: the message says why
   */
  public static ServedExporter serve(Exporter exporter, Serving serving)
      throws IOException, InterruptedException {
    Vertx vertx = MetricsServer.newVertx(serving.limits());
    AtomicReference<Supplier<WebConfig>> webConfigs = new AtomicReference<>(serving::webConfig);
    MetricsServer server =
        new MetricsServer(
            vertx,
            new MetricsServer.Endpoints(
                serving.telemetryPath(),
                exporter.scraper()::scrape,
                exporter::ready,
                exporter.profilesJson().orElse(null),
                exporter.eventStreams().orElse(null)),
            serving.limits(),
            exporter.registry(),
            () -> webConfigs.get().get());
    int port;
    try {
      port =
          server
              .listen(serving.address().host(), serving.address().port())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      close(vertx, exporter);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("cannot listen: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      close(vertx, exporter);
      throw e;
    }
    WebConfigReloader reloader = null;
    if (serving.webConfigFile() != null) {
      reloader =
          WebConfigReloader.start(
              serving.webConfigFile(),
              serving.webConfig(),
              server::updateTls,
              exporter.registry(),
              WebConfigReloader.DEFAULT_POLL_INTERVAL);
      webConfigs.set(reloader);
    }
    Probe probe = exporter.probe();
    String privileges = LeastPrivilege.afterStartUp(probe::mapAccessAllowed).describe();
    return new ServedExporter(exporter, serving, vertx, port, reloader, privileges);
  }

  public Exporter exporter() {
    return exporter;
  }

  /** What dropping the privileges start-up needed did: kept, dropped, and what failed. */
  public String privileges() {
    return privileges;
  }

  /** "counting capability checks with HOOK...; serving URL (web config)": the start-up line. */
  public String describe() {
    Probe probe = exporter.probe();
    WebConfig webConfig = serving.webConfig();
    return "counting capability checks with "
        + probe.hook().label()
        + (probe.auditKnown() ? "" : " (audit flag unknown)")
        + exporter.kubernetesNode().map(node -> " on Kubernetes node " + node).orElse("")
        + "; serving "
        + (webConfig.tls().isPresent() ? "https" : "http")
        + "://"
        + serving.address().authority(port)
        + serving.telemetryPath()
        + (serving.webConfigFile() == null
            ? ""
            : " (" + serving.webConfigFile() + WebConfigReloader.describe(webConfig) + ")");
  }

  /** Stops serving, then closes the exporter: the BPF program detached, the last records out. */
  @Override
  public void close() {
    if (reloader != null) {
      reloader.close();
    }
    close(vertx, exporter);
  }

  private static void close(Vertx vertx, Exporter exporter) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      // Closing the exporter matters more: it detaches the BPF program.
    }
    exporter.close();
  }
}
