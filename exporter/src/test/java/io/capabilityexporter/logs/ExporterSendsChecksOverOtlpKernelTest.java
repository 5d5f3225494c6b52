package io.capabilityexporter.logs;

import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole path: a real denied check in the kernel arrives as an OTLP log record on the wire. */
@KernelTest
class ExporterSendsChecksOverOtlpKernelTest {

  @Test
  void a_denied_chroot_arrives_as_a_capability_check_record() throws Exception {
    try (HttpLogsReceiver receiver = HttpLogsReceiver.start(0);
        Exporter exporter =
            Exporter.start(
                ProbeOptions.defaults(),
                CheckCounters.Lifetimes.defaults(),
                "test",
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "OTEL_BLRP_SCHEDULE_DELAY", "100"),
                new Exporter.Files(null, null));
        TestCgroup cgroup = TestCgroup.create("otlp")) {
      assertThat(exporter.probe().hook()).isEqualTo(io.capabilityexporter.probe.Hook.TP_BTF);
      trigger(cgroup, CAP_SYS_CHROOT, "chroot", 1000);

      Received chroot = null;
      for (int attempt = 0; attempt < 50 && chroot == null; attempt++) {
        List<Received> received = receiver.await(1, Duration.ofSeconds(5));
        chroot =
            received.stream()
                .filter(r -> text(r.attributes(), "capability.name").equals("SYS_CHROOT"))
                .findFirst()
                .orElse(null);
        if (chroot == null) {
          Thread.sleep(100);
        }
      }
      assertThat(chroot).as("a SYS_CHROOT record").isNotNull();
      assertThat(chroot.record().getEventName()).isEqualTo("capability.check");
      assertThat(chroot.record().getSeverityText()).isEqualTo("WARN");
      Map<String, AnyValue> attributes = chroot.attributes();
      assertThat(text(attributes, "capability.verdict")).isEqualTo("deny");
      assertThat(text(attributes, "capability.syscall")).isEqualTo("chroot");
      assertThat(text(attributes, "capability.container")).isEqualTo(cgroup.label());
      assertThat(text(attributes, "thread.name")).isEqualTo("trigger");
      assertThat(attributes.get("capability.count").getIntValue()).isEqualTo(1);
      assertThat(text(attributes, "capability.deny_reason")).isEqualTo("not_effective");
      assertThat(text(attributes, "capability.userns_scope")).isEqualTo("container");
      assertThat(text(attributes, "capability.origin")).isEqualTo("workload");

      // The loop ended mid-window: its repeats still arrive, within a window or two.
      long sum = 0;
      for (int attempt = 0; attempt < 50 && sum != 1000; attempt++) {
        Thread.sleep(100);
        sum =
            receiver.received().stream()
                .filter(r -> text(r.attributes(), "capability.name").equals("SYS_CHROOT"))
                .filter(r -> text(r.attributes(), "capability.container").equals(cgroup.label()))
                .mapToLong(r -> r.attributes().get("capability.count").getIntValue())
                .sum();
      }
      assertThat(sum).as("the counts of the SYS_CHROOT records").isEqualTo(1000);
    }
  }

  private static String text(Map<String, AnyValue> attributes, String key) {
    AnyValue value = attributes.get(key);
    return value == null ? "" : value.getStringValue();
  }
}
