package io.capabilityexporter.logs;

import io.capabilityexporter.files.NodeName;
import io.capabilityexporter.files.ProcFiles;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the standard {@code OTEL_*} variables mean for this exporter: whether log records are sent
 * at all, this tool's defaults (no traces, no metrics over OTLP; {@code service.name} {@code
 * capability-exporter}) and where records go, for the start-up line.
 */
final class OtlpEnvironment {
  static final String DEFAULT_SERVICE_NAME = "capability-exporter";

  /**
   * The BatchLogRecordProcessor's queue and batch when {@code OTEL_BLRP_*} leave them unset. The
   * SDK's own (2048 and 512) deliver ~7,500 records a second here, one request of 512 at a time;
   * batches of 8192 sustain 50,000 a second (bench/RESULTS.md). The queue bounds the heap the
   * records waiting for the collector take.
   */
  static final int DEFAULT_MAX_QUEUE_SIZE = 32_768;

  static final int DEFAULT_MAX_EXPORT_BATCH_SIZE = 8_192;

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> K8S_NODE_NAME = AttributeKey.stringKey("k8s.node.name");

  /** The lowest-priority properties: the user's environment and system properties win. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          "otel.traces.exporter",
          "none",
          "otel.metrics.exporter",
          "none",
          "otel.blrp.max.queue.size",
          Integer.toString(DEFAULT_MAX_QUEUE_SIZE),
          "otel.blrp.max.export.batch.size",
          Integer.toString(DEFAULT_MAX_EXPORT_BATCH_SIZE));

  private OtlpEnvironment() {}

  /**
   * Why no log records are sent, or null when they are: nothing asked for them (no endpoint and no
   * {@code OTEL_LOGS_EXPORTER}), or they were turned off explicitly.
   */
  static String whyOff(Map<String, String> env) {
    if ("true".equalsIgnoreCase(value(env, "OTEL_SDK_DISABLED"))) {
      return "OTEL_SDK_DISABLED=true";
    }
    String exporters = value(env, "OTEL_LOGS_EXPORTER");
    if (exporters != null && "none".equalsIgnoreCase(exporters)) {
      return "OTEL_LOGS_EXPORTER=none";
    }
    if (exporters == null
        && value(env, "OTEL_EXPORTER_OTLP_ENDPOINT") == null
        && value(env, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT") == null) {
      return "neither OTEL_EXPORTER_OTLP_ENDPOINT nor OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is set";
    }
    return null;
  }

  /**
   * The {@code OTEL_*} variables as autoconfigure properties ({@code otel.blrp.schedule.delay}).
   */
  static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_") && !value.isBlank()) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
          }
        });
    return properties;
  }

  /**
   * The configured resource over this tool's: {@code service.version}, {@code host.name} (the
   * kernel's host name) and {@code k8s.node.name} ({@code NODE_NAME}) unless configured otherwise,
   * and {@code service.name} {@value #DEFAULT_SERVICE_NAME} unless {@code OTEL_SERVICE_NAME} or
   * {@code OTEL_RESOURCE_ATTRIBUTES} name the service.
   */
  static Resource resource(
      Resource configured, ConfigProperties config, Map<String, String> env, String version) {
    ResourceBuilder ours = Resource.builder().put(SERVICE_VERSION, version);
    String host = hostName(env);
    if (host != null) {
      ours.put(HOST_NAME, host);
    }
    NodeName.fromEnvironment(env).ifPresent(node -> ours.put(K8S_NODE_NAME, node));
    Resource merged = ours.build().merge(configured);
    boolean named =
        config.getString("otel.service.name") != null
            || config.getMap("otel.resource.attributes").containsKey("service.name");
    return named ? merged : merged.toBuilder().put(SERVICE_NAME, DEFAULT_SERVICE_NAME).build();
  }

  static boolean isOtlp(LogRecordExporter exporter) {
    return exporter instanceof OtlpHttpLogRecordExporter
        || exporter instanceof OtlpGrpcLogRecordExporter;
  }

  /** The protocol autoconfigure's OTLP log exporter speaks: {@code grpc} unless told otherwise. */
  static String protocol(ConfigProperties config) {
    String protocol = config.getString("otel.exporter.otlp.logs.protocol");
    return protocol != null ? protocol : config.getString("otel.exporter.otlp.protocol", "grpc");
  }

  /** Where the OTLP exporter sends, as autoconfigure reads it: {@code URL (protocol)}. */
  static String destination(ConfigProperties config) {
    String protocol = protocol(config);
    boolean http = protocol.equals("http/protobuf");
    String endpoint = config.getString("otel.exporter.otlp.logs.endpoint");
    if (endpoint == null) {
      String base = config.getString("otel.exporter.otlp.endpoint");
      if (base == null) {
        endpoint = http ? "http://localhost:4318/v1/logs" : "http://localhost:4317";
      } else if (http) {
        endpoint = base + (base.endsWith("/") ? "" : "/") + "v1/logs";
      } else {
        endpoint = base;
      }
    }
    return endpoint + " (" + protocol + ")";
  }

  /** The kernel's; without procfs (not Linux), the shell's idea. */
  private static String hostName(Map<String, String> env) {
    return ProcFiles.hostName().orElseGet(() -> value(env, "HOSTNAME"));
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
