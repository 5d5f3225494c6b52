package io.capabilityexporter.logs;

import static io.capabilityexporter.logs.KnownChecks.VERSION;
import static io.capabilityexporter.logs.KnownChecks.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OTLP over gRPC to a grpc-java LogsService of the test's own. */
@Timeout(30)
class OtlpLogsOverGrpcTest {

  @Test
  void aDeniedCheckArrivesOverGrpcWithEveryAttribute() throws Exception {
    try (GrpcLogsReceiver receiver = GrpcLogsReceiver.start(0);
        OtlpLogs logs =
            OtlpLogs.fromEnvironment(
                KnownChecks.env("grpc", receiver.endpoint()), new SimpleMeterRegistry(), VERSION)) {
      assertThat(logs.enabled()).isTrue();
      logs.emit(KnownChecks.niceDenied());

      List<Received> received = receiver.await(1, Duration.ofSeconds(10));

      assertThat(received).hasSize(1);
      KnownChecks.assertNiceDenied(received.get(0));
      assertThat(received.get(0).resourceAttributes())
          .containsEntry("service.name", string("capability-exporter"))
          .containsEntry("service.version", string(VERSION));
    }
  }
}
