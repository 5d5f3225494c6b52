package io.capabilityexporter.logs;

import io.capabilityexporter.events.CheckEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Check events as OpenTelemetry log records over OTLP, one record per event (docs/otlp.md), through
 * the OpenTelemetry SDK configured only by the standard {@code OTEL_*} variables (gRPC or
 * http/protobuf, endpoint, headers, {@code OTEL_BLRP_*}, resource...). Traces and metrics are not
 * sent over OTLP unless {@code OTEL_TRACES_EXPORTER} or {@code OTEL_METRICS_EXPORTER} ask.
 *
 * <p>With neither {@code OTEL_EXPORTER_OTLP_ENDPOINT} nor {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}
 * set, and no {@code OTEL_LOGS_EXPORTER}, nothing is built: no exporter, no thread, no connection,
 * and {@link #emit} does nothing. Either way one line at start-up says which.
 *
 * <p>When the collector is down records wait in a bounded queue and what cannot be delivered is
 * counted in {@code capability_exporter_events_dropped_total{reason}} (see {@link Deliveries}); the
 * exporter goes on, and records flow again when the collector is back.
 */
public final class OtlpLogs implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OtlpLogs.class.getName());

  /** How long {@link #close} waits for the last records to reach the collector. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final OpenTelemetrySdk sdk;
  private final Logger logger;
  private final Deliveries deliveries;
  private volatile boolean closed;

  private OtlpLogs(OpenTelemetrySdk sdk, Logger logger, Deliveries deliveries) {
    this.sdk = sdk;
    this.logger = logger;
    this.deliveries = deliveries;
  }

  /**
   * Log records as {@code env} configures them ({@code System.getenv()} in production; the map is
   * laid over the process environment and system properties for the SDK).
   *
   * @param registry where the drop counters go
   * @param version this exporter's version: the resource's {@code service.version}
   * @throws IllegalArgumentException when an {@code OTEL_*} variable is invalid, naming it
   */
  public static OtlpLogs fromEnvironment(
      Map<String, String> env, MeterRegistry registry, String version) {
    String off = OtlpEnvironment.whyOff(env);
    if (off != null) {
      LOG.log(Level.INFO, "OTLP log records off: " + off);
      return new OtlpLogs(null, null, null);
    }
    Map<String, String> properties = OtlpEnvironment.properties(env);
    EndpointSecrets secrets = EndpointSecrets.of(env);
    AtomicReference<Deliveries> deliveries = new AtomicReference<>();
    List<String> destinations = new ArrayList<>();
    AutoConfiguredOpenTelemetrySdk configured;
    try {
      configured =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> OtlpEnvironment.DEFAULTS)
              .addPropertiesCustomizer(config -> properties)
              .addResourceCustomizer(
                  (resource, config) -> OtlpEnvironment.resource(resource, config, env, version))
              .addLogRecordExporterCustomizer(
                  (exporter, config) -> {
                    if (!OtlpEnvironment.isOtlp(exporter)) {
                      destinations.add(exporter.getClass().getSimpleName());
                      return exporter;
                    }
                    String destination = secrets.redact(OtlpEnvironment.destination(config));
                    destinations.add(destination);
                    ExportFailureLog.install(
                        destination, OtlpEnvironment.protocol(config), secrets::redact);
                    int queueSize =
                        config.getInt(
                            "otel.blrp.max.queue.size", OtlpEnvironment.DEFAULT_MAX_QUEUE_SIZE);
                    if (queueSize < 1) {
                      throw new ConfigurationException(
                          "OTEL_BLRP_MAX_QUEUE_SIZE must be positive: " + queueSize);
                    }
                    Deliveries counted = new Deliveries(queueSize, registry);
                    deliveries.set(counted);
                    return new CountingLogRecordExporter(exporter, counted);
                  })
              .disableShutdownHook()
              .build();
    } catch (ConfigurationException e) {
      // Without the cause: its message is the SDK's, secrets and all.
      throw new IllegalArgumentException(
          secrets.redact("invalid OpenTelemetry configuration: " + e.getMessage()));
    }
    OpenTelemetrySdk sdk = configured.getOpenTelemetrySdk();
    if (destinations.isEmpty()) {
      sdk.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.log(Level.INFO, "OTLP log records off: no log record exporter configured");
      return new OtlpLogs(null, null, null);
    }
    LOG.log(Level.INFO, "OTLP log records: check events to " + String.join(", ", destinations));
    Logger logger =
        sdk.getSdkLoggerProvider()
            .loggerBuilder("io.capabilityexporter")
            .setInstrumentationVersion(version)
            .build();
    return new OtlpLogs(sdk, logger, deliveries.get());
  }

  /** Whether events are sent anywhere. */
  public boolean enabled() {
    return sdk != null;
  }

  /**
   * Sends one log record for {@code event}, without blocking: queued for the next batch, or counted
   * dropped when the queue is full. Nothing when disabled or closed.
   */
  public void emit(CheckEvent event) {
    if (logger == null || closed) {
      return;
    }
    if (deliveries != null && !deliveries.tryAcquire()) {
      return;
    }
    try {
      CheckEventRecord.fill(logger.logRecordBuilder(), event).emit();
    } catch (RuntimeException e) {
      if (deliveries != null) {
        deliveries.finished(1, false);
      }
      throw e;
    }
  }

  /**
   * Sends what is queued, waiting at most {@link #CLOSE_TIMEOUT}; what has not reached the
   * collector by then is counted dropped. Then stops the SDK's threads.
   */
  @Override
  public void close() {
    if (sdk == null || closed) {
      return;
    }
    closed = true;
    CompletableResultCode shutdown =
        sdk.shutdown().join(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!shutdown.isDone()) {
      LOG.log(
          Level.WARNING,
          "OTLP log records: the collector did not take the last records within "
              + CLOSE_TIMEOUT.toSeconds()
              + " s");
    }
    if (deliveries != null) {
      deliveries.settle();
    }
  }

  /** Records handed to the SDK and not yet answered by the collector (for tests). */
  long inFlight() {
    return deliveries == null ? 0 : deliveries.inFlight();
  }
}
