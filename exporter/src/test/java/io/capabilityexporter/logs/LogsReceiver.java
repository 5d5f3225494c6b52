package io.capabilityexporter.logs;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An OTLP logs receiver of the test's own on 127.0.0.1: what the SDK really sent, decoded. */
abstract class LogsReceiver implements AutoCloseable {
  private final List<Received> received = new ArrayList<>();

  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  abstract String endpoint();

  final synchronized void accept(ExportLogsServiceRequest request) {
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        scopeLogs
            .getLogRecordsList()
            .forEach(record -> received.add(new Received(resourceLogs.getResource(), record)));
      }
    }
    notifyAll();
  }

  /** Waits until at least {@code count} records arrived, for at most {@code timeout}. */
  final synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + count + " records within " + timeout + ", got " + received.size());
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(received);
  }

  final synchronized List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public abstract void close();
}
