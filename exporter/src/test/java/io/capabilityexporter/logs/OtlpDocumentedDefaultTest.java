package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/otlp.md names the protocol used when OTEL_EXPORTER_OTLP_PROTOCOL is not set: the SDK this
 * exporter ships builds that one (a reader once took http/protobuf for the default, and its
 * collector got gRPC).
 */
class OtlpDocumentedDefaultTest {

  @Test
  void the_documented_default_protocol_is_the_one_the_sdk_uses() throws Exception {
    String page = Files.readString(Path.of("../docs/otlp.md")).replaceAll("\\s+", " ");
    Matcher documented =
        Pattern.compile("`OTEL_EXPORTER_OTLP_PROTOCOL` `([a-z/]+)` \\(the default").matcher(page);
    assertThat(documented.find()).as("docs/otlp.md names the default protocol").isTrue();

    List<Object> built = new ArrayList<>();
    AutoConfiguredOpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .disableShutdownHook()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:9",
                        "otel.traces.exporter", "none",
                        "otel.metrics.exporter", "none"))
            .addLogRecordExporterCustomizer(
                (exporter, config) -> {
                  built.add(exporter);
                  return exporter;
                })
            .build();
    try {
      Class<?> expected =
          documented.group(1).equals("grpc")
              ? OtlpGrpcLogRecordExporter.class
              : OtlpHttpLogRecordExporter.class;
      assertThat(built).singleElement().isInstanceOf(expected);
      assertThat(OtlpEnvironment.destination(DefaultConfigProperties.createFromMap(Map.of())))
          .endsWith("(" + documented.group(1) + ")");
    } finally {
      sdk.getOpenTelemetrySdk().shutdown();
    }
  }
}
