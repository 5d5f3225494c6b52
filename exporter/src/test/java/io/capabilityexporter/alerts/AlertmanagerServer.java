package io.capabilityexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.capabilityexporter.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debian's Alertmanager on a loopback port, with no gossip port ({@code
 * --cluster.listen-address=}), routing every alert at once to a webhook receiver of the test's own,
 * which keeps each notification's JSON as Alertmanager sent it.
 */
final class AlertmanagerServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpServer webhook;
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  private AlertmanagerServer(Process process, Path log, int port, HttpServer webhook) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.webhook = webhook;
  }

  static AlertmanagerServer start(Path dir) throws Exception {
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        """
        route:
          receiver: webhook
          group_by: [alertname, container]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: webhook
            webhook_configs:
              - url: http://127.0.0.1:%d/alerts
                send_resolved: false
        """
            .formatted(webhook.getAddress().getPort()));
    int port = freePort();
    Path log = dir.resolve("alertmanager.log");
    Process process;
    try {
      process =
          new ProcessBuilder(
                  "prometheus-alertmanager",
                  "--config.file=" + config,
                  "--storage.path=" + dir.resolve("alertmanager-data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--cluster.listen-address=")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      webhook.stop(0);
      throw new AssertionError(
          "prometheus-alertmanager is not installed, and the end-to-end test of the alerts runs"
              + " it: `make deps` installs it (Debian/Ubuntu: apt-get install"
              + " --no-install-recommends prometheus-alertmanager)",
          e);
    }
    AlertmanagerServer server = new AlertmanagerServer(process, log, port, webhook);
    webhook.createContext(
        "/alerts",
        exchange -> {
          try (exchange) {
            server.notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    webhook.start();
    try {
      server.awaitReady();
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Where Prometheus sends alerts: {@code alerting.alertmanagers[].static_configs.targets}. */
  String target() {
    return "127.0.0.1:" + port;
  }

  /** Every notification the webhook has received, in order. */
  List<JsonNode> notifications() {
    return List.copyOf(notifications);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("alertmanager exited " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpRequest ready =
            HttpRequest.newBuilder(URI.create("http://" + target() + "/-/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("alertmanager not ready within 30 s:\n" + log());
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    webhook.stop(0);
    Processes.stop(process, Duration.ofSeconds(10), null);
  }
}
