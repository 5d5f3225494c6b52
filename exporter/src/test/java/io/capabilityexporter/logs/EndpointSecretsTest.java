package io.capabilityexporter.logs;

import static io.capabilityexporter.logs.KnownChecks.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An endpoint's password and API key never reach a log line or an error. */
@Timeout(60)
class EndpointSecretsTest {
  private final Logger root = Logger.getLogger("");
  private final List<String> lines = new ArrayList<>();
  private Level rootLevel;
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (lines) {
            lines.add(
                record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown().toString()));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureEveryLogLine() {
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  @AfterEach
  void release() {
    root.removeHandler(handler);
    root.setLevel(rootLevel);
  }

  private List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Test
  void the_start_up_line_and_a_failed_export_show_no_password() throws Exception {
    // Nothing listens on port 9: the export fails, as with a collector that is down.
    OtlpLogs logs =
        OtlpLogs.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://exporter:s3cret-pw@127.0.0.1:9",
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf",
                "OTEL_EXPORTER_OTLP_TIMEOUT",
                "500"),
            new SimpleMeterRegistry(),
            VERSION);
    logs.emit(KnownChecks.chrootAllowedOnAHost(4711));
    logs.close();

    assertThat(lines())
        .contains(
            "OTLP log records: check events to http://***@127.0.0.1:9/v1/logs (http/protobuf)")
        .noneMatch(line -> line.contains("s3cret"));
  }

  @Test
  void a_start_up_error_shows_no_api_key() {
    assertThatThrownBy(
            () ->
                OtlpLogs.fromEnvironment(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
                        "https://exporter:s3cret-pw@collector:4318/v1/logs?api_key=K3Y-123&tenant=a"),
                    new SimpleMeterRegistry(),
                    VERSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid OpenTelemetry configuration: OTLP endpoint must not have a query string:"
                + " api_key=***&tenant=***")
        .hasNoCause();
    assertThat(lines()).noneMatch(line -> line.contains("K3Y") || line.contains("s3cret"));
  }

  @Test
  void an_endpoint_the_sdk_takes_for_no_url_is_hidden_all_the_same() {
    EndpointSecrets secrets =
        EndpointSecrets.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317?key=K3Y"));

    assertThat(secrets.redact("OTLP endpoint must be a valid URL: collector:4317?key=K3Y"))
        .isEqualTo("OTLP endpoint must be a valid URL: collector:4317?key=***");
  }

  @Test
  void hides_only_the_secrets() {
    EndpointSecrets secrets =
        EndpointSecrets.of(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://u:p@host:4318/base?a=1&b=x#frag"));

    assertThat(secrets.redact("to https://u:p@host:4318/base?a=1&b=x#frag; a=1, b=xy, u:p"))
        .isEqualTo("to https://***@host:4318/base?a=***&b=***#frag; a=1, b=xy, u:p");
  }
}
