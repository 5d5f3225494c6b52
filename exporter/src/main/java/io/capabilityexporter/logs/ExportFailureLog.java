package io.capabilityexporter.logs;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The OTLP exporter's failures as one line a minute, not a SEVERE stack trace a second: a collector
 * that is away, or speaks the other OTLP protocol, would otherwise fill the exporter's log while
 * every lost record is counted already ({@code capability_exporter_events_dropped_total}). The line
 * says where the records went, by which protocol, what to check, and how many failures the minute
 * since the last line had. A filter on the root logger's handlers, since a JUL logger's own filter
 * does not see its children's records and the SDK's loggers are its own.
 */
final class ExportFailureLog implements Filter {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final String SDK_EXPORTERS = "io.opentelemetry.exporter.";

  private final String destination;
  private final String protocol;
  private final UnaryOperator<String> redact;
  private final LongSupplier nanoTime;
  private final Filter next;
  private boolean logged; // guarded by this
  private long lastLogged; // guarded by this
  private long since; // guarded by this

  ExportFailureLog(
      String destination,
      String protocol,
      UnaryOperator<String> redact,
      LongSupplier nanoTime,
      Filter next) {
    this.destination = destination;
    this.protocol = protocol;
    this.redact = redact;
    this.nanoTime = nanoTime;
    this.next = next;
  }

  /** Installs the filter on the root logger's handlers, before any filter they had. */
  static void install(String destination, String protocol, UnaryOperator<String> redact) {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      Filter previous = handler.getFilter();
      if (previous instanceof ExportFailureLog earlier) {
        previous = earlier.next; // an exporter built again in this JVM replaces it
      }
      handler.setFilter(
          new ExportFailureLog(destination, protocol, redact, System::nanoTime, previous));
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    // Only a batch that failed: the SDK's other warnings (a setting it ignores...) pass as they
    // are.
    if (record.getLoggerName() == null
        || !record.getLoggerName().startsWith(SDK_EXPORTERS)
        || record.getLevel().intValue() < Level.WARNING.intValue()
        || record.getMessage() == null
        || !record.getMessage().startsWith("Failed to export")) {
      return next == null || next.isLoggable(record);
    }
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (logged && now - lastLogged < INTERVAL.toNanos()) {
        since++;
        return false;
      }
      record.setMessage(redact.apply(line(record, since)));
      record.setParameters(null);
      record.setThrown(null);
      record.setLevel(Level.WARNING);
      logged = true;
      lastLogged = now;
      since = 0;
    }
    return next == null || next.isLoggable(record);
  }

  private String line(LogRecord record, long earlier) {
    StringBuilder line =
        new StringBuilder("OTLP log records to ")
            .append(destination)
            .append(": ")
            .append(record.getMessage());
    for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
      line.append(" (").append(cause.getClass().getSimpleName());
      if (cause.getMessage() != null) {
        line.append(": ").append(cause.getMessage());
      }
      line.append(')');
      if (cause.getCause() == cause) {
        break;
      }
    }
    String other = protocol.equals("grpc") ? "http/protobuf" : "grpc";
    line.append(". If the collector is up, check that it speaks OTLP ")
        .append(protocol)
        .append(" there; for ")
        .append(other)
        .append(" set OTEL_EXPORTER_OTLP_PROTOCOL=")
        .append(other)
        .append(other.equals("grpc") ? " (port 4317)" : " (port 4318)")
        .append(". Lost records are counted in capability_exporter_events_dropped_total; this is")
        .append(" said once a minute at most");
    if (earlier > 0) {
      line.append(" (").append(earlier).append(" more failures since the last time)");
    }
    return line.toString();
  }
}
