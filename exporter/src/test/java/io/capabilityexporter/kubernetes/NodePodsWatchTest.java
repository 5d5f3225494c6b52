package io.capabilityexporter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.FakeApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code capability_exporter_kubernetes_watching} and {@code
 * capability_exporter_kubernetes_api_failures_total} say about the watch of a quiet node's pods, as
 * the alerts CapabilityExporterKubernetesWatchDown and CapabilityExporterKubernetesApiErrors read
 * them.
 */
@Timeout(120)
class NodePodsWatchTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private NodePods watch(FakeApiServer api) throws Exception {
    KubernetesConnection connection =
        KubernetesConnection.fromEnvironment(api.nodeEnvironment(dir, "node-1")).orElseThrow();
    return NodePods.watch(connection, registry);
  }

  private double watching() {
    return registry.get("capability.exporter.kubernetes.watching").gauge().value();
  }

  private double failures() {
    return registry.get("capability.exporter.kubernetes.api.failures").counter().count();
  }

  private static void await(DoubleSupplier value, double expected, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (value.getAsDouble() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(value.getAsDouble()).isEqualTo(expected);
  }

  @Test
  void watching_is_1_once_the_watch_is_up_though_no_pod_ever_changes() throws Exception {
    try (FakeApiServer api = FakeApiServer.start();
        NodePods pods = watch(api)) {
      await(() -> pods.synced() ? 1 : 0, 1, Duration.ofSeconds(10));

      await(this::watching, 1, Duration.ofSeconds(5));
      assertThat(pods.watching()).isTrue();
      assertThat(failures()).isZero();
    }
  }

  @Test
  void an_api_server_down_mid_watch_counts_failures_until_the_watch_is_back() throws Exception {
    try (FakeApiServer api = FakeApiServer.start();
        NodePods pods = watch(api)) {
      await(this::watching, 1, Duration.ofSeconds(10));

      api.goDown();

      await(this::watching, 0, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (failures() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(failures())
          .as("each attempt to watch again that failed")
          .isGreaterThanOrEqualTo(2);

      api.goUp();

      await(this::watching, 1, Duration.ofSeconds(60)); // fabric8's backoff: 1 s, 2 s, 4 s...
      assertThat(pods.watching()).isTrue();
      double failed = failures();
      Thread.sleep(1000);
      assertThat(failures()).as("no failures once the watch is back").isEqualTo(failed);
    }
  }
}
