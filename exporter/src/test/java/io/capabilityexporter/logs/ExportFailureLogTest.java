package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ExportFailureLogTest {
  private final AtomicLong now = new AtomicLong();
  private final ExportFailureLog log =
      new ExportFailureLog(
          "http://user:secret@collector:4318 (grpc)",
          "grpc",
          text -> text.replace("user:secret@", "***@"),
          now::get,
          null);

  /** What the SDK logs each time a batch fails: SEVERE, with the stack. */
  private static LogRecord failure() {
    LogRecord record =
        new LogRecord(Level.SEVERE, "Failed to export 8 logs. The request could not be executed.");
    record.setLoggerName("io.opentelemetry.exporter.otlp.internal.GrpcExporter");
    record.setThrown(
        new IOException(
            "unexpected end of stream on http://user:secret@collector:4318/",
            new IllegalStateException("HTTP/1.1 404")));
    return record;
  }

  @Test
  void a_failing_collector_is_one_line_a_minute_that_says_what_to_check() {
    LogRecord first = failure();
    assertThat(log.isLoggable(first)).isTrue();
    assertThat(first.getThrown()).as("no stack trace").isNull();
    assertThat(first.getLevel()).isEqualTo(Level.WARNING);
    assertThat(first.getMessage())
        .startsWith("OTLP log records to http://***@collector:4318 (grpc): Failed to export 8 logs")
        .contains("(IOException: unexpected end of stream on http://***@collector:4318/)")
        .contains("(IllegalStateException: HTTP/1.1 404)")
        .contains("speaks OTLP grpc there; for http/protobuf set OTEL_EXPORTER_OTLP_PROTOCOL")
        .contains("capability_exporter_events_dropped_total")
        .doesNotContain("secret");

    int quiet = 0;
    for (int second = 1; second < 60; second++) {
      now.set(second * 1_000_000_000L);
      if (!log.isLoggable(failure())) {
        quiet++;
      }
    }
    assertThat(quiet).as("failures within the minute, not logged").isEqualTo(59);

    now.set(60 * 1_000_000_000L);
    LogRecord next = failure();
    assertThat(log.isLoggable(next)).isTrue();
    assertThat(next.getMessage()).endsWith("(59 more failures since the last time)");
  }

  @Test
  void everything_else_passes_unchanged() {
    LogRecord ours = new LogRecord(Level.SEVERE, "profiles: cannot write");
    ours.setLoggerName("io.capabilityexporter.profiles.ProfileStore");
    LogRecord sdkInfo = new LogRecord(Level.INFO, "batch sent");
    sdkInfo.setLoggerName("io.opentelemetry.exporter.otlp.internal.GrpcExporter");

    LogRecord sdkWarning = new LogRecord(Level.WARNING, "unknown compression method, ignored");
    sdkWarning.setLoggerName("io.opentelemetry.exporter.internal.grpc.GrpcExporterBuilder");

    assertThat(log.isLoggable(sdkWarning)).isTrue();
    assertThat(sdkWarning.getMessage()).isEqualTo("unknown compression method, ignored");
    assertThat(log.isLoggable(ours)).isTrue();
    assertThat(log.isLoggable(sdkInfo)).isTrue();
    assertThat(ours.getMessage()).isEqualTo("profiles: cannot write");
    assertThat(sdkInfo.getMessage()).isEqualTo("batch sent");
  }
}
