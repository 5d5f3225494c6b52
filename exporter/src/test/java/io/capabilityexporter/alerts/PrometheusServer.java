package io.capabilityexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.testing.Processes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}, which `make deps` installs) on
 * loopback, scraping one target every second and evaluating the rule files every second, its data
 * in a directory of the test's own. {@link #close} kills it; so does the JVM's exit.
 */
final class PrometheusServer implements AutoCloseable {
  static final String JOB = "capability-exporter";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final int port;
  private final Thread killer;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.killer = Processes.killOnExit(process, "kill-prometheus");
  }

  /**
   * Starts Prometheus on a free loopback port and waits until it is ready.
   *
   * @param target HOST:PORT of the exporter, scraped as job {@value #JOB}
   * @param rules the rule files, as Prometheus's rule_files take them (a glob is fine)
   */
  static PrometheusServer start(Path dir, String target, String rules) throws Exception {
    return start(dir, target, rules, null);
  }

  /** As above, sending its alerts to the Alertmanager at {@code alertmanager} (host:port). */
  static PrometheusServer start(Path dir, String target, String rules, String alertmanager)
      throws Exception {
    String alerting =
        alertmanager == null
            ? ""
            : """
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ["%s"]
            """
                .formatted(alertmanager);
    return start(
        dir,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - "%s"
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ["%s"]
        """
                .formatted(rules, JOB, target)
            + alerting);
  }

  /** Starts Prometheus with this prometheus.yml. */
  static PrometheusServer start(Path dir, String prometheusYml) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, prometheusYml);
    AssertionError last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken meanwhile
      int port = freePort();
      Path log = dir.resolve("prometheus-" + attempt + ".log");
      Process process;
      try {
        process =
            new ProcessBuilder(
                    "prometheus",
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "prometheus is not installed, and the end-to-end test of the alerts runs it: `make"
                + " deps` installs it (Debian/Ubuntu: apt-get install --no-install-recommends"
                + " prometheus)",
            e);
      }
      PrometheusServer server = new PrometheusServer(process, log, port);
      try {
        server.awaitReady();
        return server;
      } catch (AssertionError e) {
        server.close();
        last = e;
        if (!Files.readString(log).contains("address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady() throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> response = send("/-/ready");
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready within 30 s:\n" + log());
  }

  private HttpResponse<String> send(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Prometheus's answer, {@code status} "success" or "error" with {@code error}. */
  JsonNode get(String path, String parameter, String value) throws Exception {
    String query =
        parameter == null
            ? ""
            : "?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    return JSON.readTree(send(path + query).body());
  }

  /** {@code data.result} of an instant query at now; fails naming Prometheus's error. */
  JsonNode query(String promql) throws Exception {
    JsonNode answer = get("/api/v1/query", "query", promql);
    if (!answer.path("status").asText().equals("success")) {
      throw new AssertionError(promql + ": " + answer.path("error").asText(answer.toString()));
    }
    return answer.path("data").path("result");
  }

  /** The scrape targets, each with {@code labels.job}, {@code health} and {@code lastError}. */
  JsonNode targets() throws Exception {
    return get("/api/v1/targets", null, null).path("data").path("activeTargets");
  }

  /** Active alerts, pending and firing: {@code labels}, {@code annotations}, {@code state}... */
  JsonNode alerts() throws Exception {
    return get("/api/v1/alerts", null, null).path("data").path("alerts");
  }

  /** Rule groups with each rule's {@code health} and {@code lastError}. */
  JsonNode ruleGroups() throws Exception {
    return get("/api/v1/rules", null, null).path("data").path("groups");
  }

  String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 8000 ? "..." + text.substring(text.length() - 8000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(10), killer);
  }
}
