package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import io.capabilityexporter.webconfig.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --web.config.file as a node_exporter user has it: promtool checks the file, then the exporter
 * serves with it on the real kernel, and Debian's Prometheus scrapes it over TLS with basic auth,
 * and without credentials in a second job, which must be refused.
 */
@KernelTest
class ScrapeOverTlsIT {
  @TempDir Path dir;

  @Test
  void prometheus_scrapes_over_tls_with_basic_auth_and_is_refused_without() throws Exception {
    KernelTests.requireRoot();
    TestCertificates certs = TestCertificates.make(dir);
    String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(10, "s3cret".toCharArray());
    Path web =
        Files.writeString(
            dir.resolve("web.yml"),
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              min_version: TLS12
            basic_auth_users:
              prometheus: %s
            """
                .formatted(hash));
    // The same file, as promtool reads it: exporter-toolkit's own checks.
    Promtool.run(List.of("check", "web-config"), List.of(web)).assertSucceeded();

    try (LaunchedExporter exporter = LaunchedExporter.start(dir, "--web.config.file=" + web)) {
      assertThat(exporter.log()).contains("serving https://127.0.0.1:");
      String target = "127.0.0.1:" + exporter.port();
      String job =
          """
            - job_name: %s
              scheme: https
              tls_config:
                ca_file: %s
          %s
              static_configs:
                - targets: ["%s"]
          """;
      String credentials = "    basic_auth:\n      username: prometheus\n      password: s3cret";
      try (PrometheusServer prometheus =
          PrometheusServer.start(
              dir,
              "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                  + job.formatted("with-credentials", certs.caCert, credentials, target)
                  + job.formatted("without-credentials", certs.caCert, "", target))) {
        await(
            "up == 1 with credentials",
            () -> !prometheus.query("up{job=\"with-credentials\"} == 1").isEmpty());
        assertThat(
                prometheus.query(
                    "capability_exporter_hook_attached{job=\"with-credentials\"} == 1"))
            .isNotEmpty();
        await(
            "up == 0 without",
            () -> !prometheus.query("up{job=\"without-credentials\"} == 0").isEmpty());
        JsonNode refused = null;
        for (JsonNode target1 : prometheus.targets()) {
          if (target1.path("labels").path("job").asText().equals("without-credentials")) {
            refused = target1;
          }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.path("lastError").asText()).contains("401");
        assertThat(prometheus.query("up{job=\"with-credentials\"} == 1")).isNotEmpty();
      }
    }
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not within 60 s");
      }
      Thread.sleep(250);
    }
  }
}
