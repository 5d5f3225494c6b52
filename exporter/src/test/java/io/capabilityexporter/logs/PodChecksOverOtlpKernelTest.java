package io.capabilityexporter.logs;

import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.FakeApiServer;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import io.capabilityexporter.testing.TestPods;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a simulated Kubernetes node, a real denied check arrives with its pod's k8s.* attributes. */
@KernelTest
class PodChecksOverOtlpKernelTest {
  @TempDir Path dir;

  @Test
  void a_pods_denied_chroot_carries_namespace_pod_container_uid_and_deployment() throws Exception {
    String uid = UUID.randomUUID().toString();
    String id = TestPods.containerId();
    String path =
        "kubepods/burstable/pod" + uid + "/" + id; // the cgroupfs driver, containerd naming
    try (FakeApiServer api = FakeApiServer.start();
        HttpLogsReceiver receiver = HttpLogsReceiver.start(0);
        Exporter exporter =
            Exporter.start(
                ProbeOptions.defaults(),
                CheckCounters.Lifetimes.defaults(),
                "test",
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "OTEL_BLRP_SCHEDULE_DELAY", "100",
                    "KUBECONFIG", api.kubeconfig(dir).toString(),
                    "NODE_NAME", "node-1"),
                new Exporter.Files(null, null));
        TestCgroup container = TestCgroup.nested("k8s-otlp", path)) {
      api.put(
          TestPods.deploymentPod(
              "shop", "cart-6d4cf56db6-otlp1", uid, "node-1", "cart", "cart", id));
      for (int i = 0; i < 100 && !exporter.ready(); i++) {
        Thread.sleep(50);
      }
      Thread.sleep(1100); // the new cgroup is found on the next walk of the tree
      trigger(container, CAP_SYS_CHROOT, "chroot", 10);

      Received chroot = null;
      List<Received> received = List.of();
      for (int attempt = 0; attempt < 50 && chroot == null; attempt++) {
        Thread.sleep(100);
        received = receiver.await(1, Duration.ofSeconds(5));
        chroot =
            received.stream()
                .filter(r -> text(r.attributes(), "capability.name").equals("SYS_CHROOT"))
                .filter(r -> text(r.attributes(), "k8s.pod.uid").equals(uid))
                .findFirst()
                .orElse(null);
      }
      assertThat(chroot)
          .as(
              "a SYS_CHROOT record of the pod among %s",
              received.stream()
                  .map(Received::attributes)
                  .filter(a -> text(a, "capability.name").equals("SYS_CHROOT"))
                  .toList())
          .isNotNull();
      Map<String, AnyValue> attributes = chroot.attributes();
      assertThat(text(attributes, "k8s.namespace.name")).isEqualTo("shop");
      assertThat(text(attributes, "k8s.pod.name")).isEqualTo("cart-6d4cf56db6-otlp1");
      assertThat(text(attributes, "k8s.container.name")).isEqualTo("cart");
      assertThat(text(attributes, "k8s.deployment.name")).isEqualTo("cart");
      assertThat(text(attributes, "container.id")).isEqualTo(id);
      assertThat(text(attributes, "container.image.name")).isEqualTo("registry.example/shop/cart");
      assertThat(text(attributes, "capability.verdict")).isEqualTo("deny");
      assertThat(chroot.resourceAttributes())
          .containsEntry("k8s.node.name", AnyValue.newBuilder().setStringValue("node-1").build());
    }
  }

  private static String text(Map<String, AnyValue> attributes, String key) {
    AnyValue value = attributes.get(key);
    return value == null ? "" : value.getStringValue();
  }
}
