package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.Owner;
import io.capabilityexporter.domain.Pods;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Check events whose log records the tests know by heart, and what they look like decoded. */
final class KnownChecks {
  static final Instant WHEN = Instant.parse("2025-06-01T12:34:56.123456789Z");
  static final long EFFECTIVE_CAPS = 0x000001ffffffffffL & ~(1L << 23);
  static final String VERSION = "1.2.3-test";

  private KnownChecks() {}

  /** {@code nice -n -20} in a pod's container, with CAP_SYS_NICE dropped. */
  static CheckEvent niceDenied() {
    return new CheckEvent(
        WHEN,
        "node-1",
        new Workload("shop", "cart-7d9f", "cart"),
        Pods.ownedBy(new Owner("Deployment", "cart"), "cart", "registry.example/shop/cart:1.4.2"),
        "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899",
        9001L,
        4711,
        4712,
        "nice",
        "setpriority",
        1000,
        1001,
        new Check(23, true, Flag.YES, 0),
        Origin.WORKLOAD,
        Flag.NO,
        4026531837L,
        4026532999L,
        4026531841L,
        EFFECTIVE_CAPS,
        3,
        List.of("cap_capable+0x0", "security_capable+0x3e", "__sys_setpriority+0x1b2"));
  }

  /** A chroot allowed on a plain host, in a systemd unit, audit flag unknown, not in a syscall. */
  static CheckEvent chrootAllowedOnAHost(int pid) {
    return new CheckEvent(
        WHEN,
        "host-1",
        Workload.container("cron.service"),
        null,
        "",
        77L,
        pid,
        pid,
        "cron",
        "",
        0,
        0,
        new Check(18, false, Flag.UNKNOWN, 0),
        Origin.WORKLOAD,
        Flag.UNKNOWN,
        4026531837L,
        4026531837L,
        4026531841L,
        -1L,
        1,
        List.of());
  }

  /** An http/protobuf configuration pointing at {@code endpoint}, with short delays. */
  static Map<String, String> env(String protocol, String endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", protocol);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    env.put("OTEL_BLRP_SCHEDULE_DELAY", "50");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2000");
    env.put("OTEL_BLRP_EXPORT_TIMEOUT", "3000");
    return env;
  }

  /** Asserts the record {@link #niceDenied()} makes, as decoded off the wire. */
  static void assertNiceDenied(Received received) {
    assertThat(received.record().getEventName()).isEqualTo("capability.check");
    assertThat(received.record().getTimeUnixNano())
        .isEqualTo(WHEN.getEpochSecond() * 1_000_000_000L + WHEN.getNano());
    assertThat(received.record().getObservedTimeUnixNano()).isPositive();
    assertThat(received.record().getSeverityNumber())
        .isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(received.record().getSeverityText()).isEqualTo("WARN");
    assertThat(received.record().getBody().getStringValue())
        .isEqualTo("nice (pid 4711) was denied SYS_NICE in setpriority, 3 times");
    assertThat(received.attributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("k8s.namespace.name", string("shop")),
                Map.entry("k8s.pod.name", string("cart-7d9f")),
                Map.entry("k8s.container.name", string("cart")),
                Map.entry("k8s.pod.uid", string("6f1c2b1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b")),
                Map.entry("k8s.deployment.name", string("cart")),
                Map.entry(
                    "container.id",
                    string("3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899")),
                Map.entry("container.image.name", string("registry.example/shop/cart")),
                Map.entry("container.image.tags", strings("1.4.2")),
                Map.entry("process.pid", integer(4711)),
                Map.entry("thread.id", integer(4712)),
                Map.entry("thread.name", string("nice")),
                Map.entry("process.real_user.id", integer(1000)),
                Map.entry("capability.gid", integer(1001)),
                Map.entry("capability.name", string("SYS_NICE")),
                Map.entry("capability.number", integer(23)),
                Map.entry("capability.verdict", string("deny")),
                Map.entry("capability.audit", bool(true)),
                Map.entry("capability.insetid", bool(false)),
                Map.entry("capability.syscall", string("setpriority")),
                Map.entry("capability.count", integer(3)),
                Map.entry("capability.target_userns", integer(4026531837L)),
                Map.entry("capability.current_userns", integer(4026532999L)),
                Map.entry("capability.mount_ns_id", integer(4026531841L)),
                Map.entry("capability.effective_caps", string("000001ffff7fffff")),
                Map.entry("capability.cgroup_id", integer(9001)),
                Map.entry("capability.userns_scope", string("container")),
                Map.entry("capability.origin", string("workload")),
                Map.entry("capability.deny_reason", string("not_effective")),
                Map.entry(
                    "capability.stack",
                    strings(
                        "cap_capable+0x0", "security_capable+0x3e", "__sys_setpriority+0x1b2"))));
  }

  static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  static AnyValue integer(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }

  static AnyValue bool(boolean value) {
    return AnyValue.newBuilder().setBoolValue(value).build();
  }

  static AnyValue strings(String... values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (String value : values) {
      array.addValues(string(value));
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }
}
