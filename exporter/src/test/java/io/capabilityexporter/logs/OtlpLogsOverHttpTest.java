package io.capabilityexporter.logs;

import static io.capabilityexporter.logs.KnownChecks.VERSION;
import static io.capabilityexporter.logs.KnownChecks.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OTLP over http/protobuf to a receiver of the test's own, decoded with opentelemetry-proto. */
@Timeout(30)
class OtlpLogsOverHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private HttpLogsReceiver receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpLogsReceiver.start(0);
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void aDeniedCheckArrivesAsOneCapabilityCheckRecordWithEveryAttribute() throws Exception {
    try (OtlpLogs logs =
        OtlpLogs.fromEnvironment(
            KnownChecks.env("http/protobuf", receiver.endpoint()),
            new SimpleMeterRegistry(),
            VERSION)) {
      assertThat(logs.enabled()).isTrue();
      logs.emit(KnownChecks.niceDenied());

      List<Received> received = receiver.await(1, WAIT);

      assertThat(received).hasSize(1);
      KnownChecks.assertNiceDenied(received.get(0));
      Map<String, AnyValue> resource = received.get(0).resourceAttributes();
      assertThat(resource)
          .containsEntry("service.name", string("capability-exporter"))
          .containsEntry("service.version", string(VERSION))
          .containsKey("host.name");
    }
  }

  @Test
  void anAllowedCheckOnAPlainHostIsInfoAndCarriesNoKubernetesAttributes() throws Exception {
    try (OtlpLogs logs =
        OtlpLogs.fromEnvironment(
            KnownChecks.env("http/protobuf", receiver.endpoint()),
            new SimpleMeterRegistry(),
            VERSION)) {
      logs.emit(KnownChecks.chrootAllowedOnAHost(321));

      Received received = receiver.await(1, WAIT).get(0);

      assertThat(received.record().getSeverityNumber())
          .isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
      assertThat(received.record().getBody().getStringValue())
          .isEqualTo("cron (pid 321) was allowed SYS_CHROOT");
      assertThat(received.attributes())
          .containsEntry("capability.verdict", string("allow"))
          .containsEntry("capability.container", string("cron.service"))
          .containsEntry("capability.effective_caps", string("ffffffffffffffff"))
          .doesNotContainKeys(
              "k8s.namespace.name",
              "k8s.pod.name",
              "k8s.container.name",
              "capability.audit",
              "capability.insetid",
              "capability.syscall",
              "capability.stack");
    }
  }

  @Test
  void theStandardVariablesNameTheServiceAndAddResourceAttributes() throws Exception {
    Map<String, String> env = KnownChecks.env("http/protobuf", receiver.endpoint());
    env.put("OTEL_SERVICE_NAME", "caps-on-node-7");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=ci,service.version=9.9");
    env.put("NODE_NAME", "node-7");
    try (OtlpLogs logs = OtlpLogs.fromEnvironment(env, new SimpleMeterRegistry(), VERSION)) {
      logs.emit(KnownChecks.niceDenied());

      Map<String, AnyValue> resource = receiver.await(1, WAIT).get(0).resourceAttributes();

      assertThat(resource)
          .containsEntry("service.name", string("caps-on-node-7"))
          .containsEntry("deployment.environment.name", string("ci"))
          .containsEntry("service.version", string("9.9"))
          .containsEntry("k8s.node.name", string("node-7"));
    }
  }

  @Test
  void aLogsEndpointAndLogsProtocolAreUsedAsGiven() throws Exception {
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", receiver.endpoint() + "/v1/logs",
            "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf",
            "OTEL_BLRP_SCHEDULE_DELAY", "50");
    try (OtlpLogs logs = OtlpLogs.fromEnvironment(env, new SimpleMeterRegistry(), VERSION)) {
      logs.emit(KnownChecks.niceDenied());

      KnownChecks.assertNiceDenied(receiver.await(1, WAIT).get(0));
    }
  }

  @Test
  void closeSendsWhatIsStillQueued() throws Exception {
    Map<String, String> env = KnownChecks.env("http/protobuf", receiver.endpoint());
    env.put("OTEL_BLRP_SCHEDULE_DELAY", "60000");
    OtlpLogs logs = OtlpLogs.fromEnvironment(env, new SimpleMeterRegistry(), VERSION);
    for (int pid = 1; pid <= 10; pid++) {
      logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
    }

    logs.close();

    assertThat(receiver.received()).hasSize(10);
    assertThat(logs.inFlight()).isZero();
  }
}
