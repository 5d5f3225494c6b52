package io.capabilityexporter.profiles;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout on a simulated node: 40 Deployments' pods start at 10 a second, each container denied
 * chroot at once and gone a moment later. Every profile must hold that deny, or the recommended
 * {@code add:} list would break the pod it is applied to.
 */
@KernelTest
class ProfilesOfARolloutKernelTest {
  private static final String NODE = "node-1";
  private static final int WORKLOADS = 40;

  @TempDir Path dir;

  @Test
  void every_workload_of_a_fast_rollout_has_the_deny_it_made_at_start() throws Exception {
    Path file = dir.resolve("profiles.json");
    List<String> names = new ArrayList<>();
    try (FakeApiServer api = FakeApiServer.start()) {
      try (Exporter exporter =
          Exporter.start(
              ProbeOptions.defaults(),
              CheckCounters.Lifetimes.defaults(),
              "test",
              api.nodeEnvironment(dir, NODE),
              new Exporter.Files(null, file))) {
        for (int attempt = 0; attempt < 200 && !exporter.ready(); attempt++) {
          Thread.sleep(50);
        }
        assertThat(exporter.ready()).as("the pod informer synced").isTrue();
        for (int i = 0; i < WORKLOADS; i++) {
          long start = System.nanoTime();
          String name = "rollout" + i;
          String uid = UUID.randomUUID().toString();
          String id = TestPods.containerId();
          names.add(name);
          api.put(
              TestPods.deploymentPod(
                  "shop", name + "-6d4cf56db6-x" + i, uid, NODE, name, "main", id));
          try (TestCgroup container =
              TestCgroup.nested("rollout", "kubepods/besteffort/pod" + uid + "/" + id)) {
            trigger(container, CAP_SYS_CHROOT, "chroot", 1);
          }
          long left = Duration.ofMillis(100).toNanos() - (System.nanoTime() - start);
          if (left > 0) {
            Thread.sleep(left / 1_000_000);
          }
        }
        List<String> missing = names;
        for (int attempt = 0; attempt < 100 && !missing.isEmpty(); attempt++) {
          Thread.sleep(100);
          String json = exporter.profilesJson().orElseThrow().text();
          missing = missing.stream().filter(name -> !json.contains("\"" + name + "\"")).toList();
        }
      } // close records what is pending and writes the file

      Profiles kept = ProfileStore.read(file, ProfileLimits.DEFAULT);
      List<String> withoutTheDeny = new ArrayList<>(names);
      for (WorkloadProfile workload : kept.workloads()) {
        boolean denied =
            workload.containers().stream()
                .filter(c -> c.name().equals("main"))
                .flatMap(c -> c.capabilities().stream())
                .anyMatch(use -> use.capability().equals("SYS_CHROOT") && use.denied() > 0);
        if (denied && workload.kind().equals("Deployment")) {
          withoutTheDeny.remove(workload.name());
        }
      }
      assertThat(withoutTheDeny).as("workloads whose profile lacks the SYS_CHROOT deny").isEmpty();
    }
  }
}
