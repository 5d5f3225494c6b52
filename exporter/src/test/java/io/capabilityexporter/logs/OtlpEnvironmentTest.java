package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpEnvironmentTest {

  @Test
  void anEndpointOrAnExplicitLogsExporterTurnsRecordsOn() {
    assertThat(OtlpEnvironment.whyOff(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317")))
        .isNull();
    assertThat(OtlpEnvironment.whyOff(Map.of("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://c:4318")))
        .isNull();
    assertThat(OtlpEnvironment.whyOff(Map.of("OTEL_LOGS_EXPORTER", "otlp"))).isNull();
  }

  @Test
  void nothingSetBlankOrExplicitlyOffMeansOff() {
    assertThat(OtlpEnvironment.whyOff(Map.of())).contains("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThat(OtlpEnvironment.whyOff(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isNotNull();
    assertThat(
            OtlpEnvironment.whyOff(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317", "OTEL_LOGS_EXPORTER", "none")))
        .isEqualTo("OTEL_LOGS_EXPORTER=none");
    assertThat(
            OtlpEnvironment.whyOff(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317", "OTEL_SDK_DISABLED", "true")))
        .isEqualTo("OTEL_SDK_DISABLED=true");
  }

  @Test
  void otelVariablesBecomePropertiesAndOthersAreLeftOut() {
    assertThat(
            OtlpEnvironment.properties(
                Map.of(
                    "OTEL_BLRP_SCHEDULE_DELAY", "50",
                    "OTEL_EXPORTER_OTLP_HEADERS", "a=b",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "",
                    "HOME", "/root")))
        .containsOnly(
            Map.entry("otel.blrp.schedule.delay", "50"),
            Map.entry("otel.exporter.otlp.headers", "a=b"));
  }

  @Test
  void theDestinationIsWhereAutoconfigureSends() {
    assertThat(OtlpEnvironment.destination(config(Map.of())))
        .isEqualTo("http://localhost:4317 (grpc)");
    assertThat(
            OtlpEnvironment.destination(
                config(
                    Map.of(
                        "otel.exporter.otlp.endpoint", "http://c:4318",
                        "otel.exporter.otlp.protocol", "http/protobuf"))))
        .isEqualTo("http://c:4318/v1/logs (http/protobuf)");
    assertThat(
            OtlpEnvironment.destination(
                config(
                    Map.of(
                        "otel.exporter.otlp.endpoint", "http://c:4317",
                        "otel.exporter.otlp.logs.endpoint", "http://d:4318/logs",
                        "otel.exporter.otlp.logs.protocol", "http/protobuf"))))
        .isEqualTo("http://d:4318/logs (http/protobuf)");
  }

  private static DefaultConfigProperties config(Map<String, String> properties) {
    return DefaultConfigProperties.createFromMap(properties);
  }
}
