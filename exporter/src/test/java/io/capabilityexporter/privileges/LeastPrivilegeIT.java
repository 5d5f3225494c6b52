package io.capabilityexporter.privileges;

import static io.capabilityexporter.testing.KernelTests.loadedPrograms;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.capabilities.CapabilitySets;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.LaunchedExporter;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter started as root with every capability keeps none once it is serving, in every thread
 * (as /proc/PID/task/TID/status shows them to anyone who looks), and still does all its later work:
 * counts, check events and profiles, a policy reload, the detach at SIGTERM.
 */
@KernelTest
class LeastPrivilegeIT {
  private static final int CAP_SYS_CHROOT = 18;

  @Test
  void as_root_every_thread_keeps_no_capability_and_the_work_goes_on(@TempDir Path dir)
      throws Exception {
    KernelTests.requireRoot();
    long programsBefore = loadedPrograms("cap_capable_tp");
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
    Path profiles = dir.resolve("profiles.json");
    // A plain host: no API server, no OTLP endpoint.
    Map<String, String> environment = new HashMap<>();
    environment.put("KUBECONFIG", null);
    environment.put("KUBERNETES_SERVICE_HOST", null);
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", null);
    try (TestCgroup cgroup = TestCgroup.create("least-privilege");
        LaunchedExporter exporter =
            LaunchedExporter.start(
                dir, environment, "--config=" + policy, "--profiles.file=" + profiles)) {
      assertThat(exporter.log())
          .contains("capabilities after start-up: kept none, dropped all")
          .containsPattern("in all \\d+ threads");

      List<Path> tasks;
      try (Stream<Path> listing = Files.list(Path.of("/proc/" + exporter.pid() + "/task"))) {
        tasks = listing.toList();
      }
      assertThat(tasks).hasSizeGreaterThan(5);
      for (Path task : tasks) {
        assertThat(CapabilitySets.read(task.resolve("status")))
            .as("thread %s (%s)", task.getFileName(), Files.readString(task.resolve("comm")))
            .isEqualTo(new CapabilitySets(0, 0, 0, 0, 0, true));
      }

      // Counting, check events and profiles after the drop: 5 denied chroot(2) in a cgroup.
      assertThat(KernelTests.trigger(cgroup, CAP_SYS_CHROOT, "chroot", 5))
          .isEqualTo("0 allowed 5 denied");
      String name = cgroup.directory().getFileName().toString();
      assertThat(await(exporter, "/metrics", name))
          .containsPattern(
              "capability_checks_total\\{capability=\"SYS_CHROOT\",container=\"[^\"]*"
                  + name
                  + "[^}]*verdict=\"deny\"} 5\\n");
      assertThat(await(exporter, "/api/v1/profiles", name)).contains("SYS_CHROOT");

      // The policy re-read on SIGHUP.
      Files.writeString(
          policy, "rules: [{containers: [" + name + "], capabilities: [SYS_CHROOT]}]\n");
      exporter.hangup();
      String reloaded = "capability_exporter_config_reloads_total{result=\"success\"} 1.0";
      assertThat(await(exporter, "/metrics", reloaded)).contains(reloaded);

      assertThat(exporter.stop()).as(exporter.log()).isZero();
      long after = loadedPrograms("cap_capable_tp");
      for (int attempt = 0; attempt < 50 && after != programsBefore; attempt++) {
        Thread.sleep(100);
        after = loadedPrograms("cap_capable_tp");
      }
      assertThat(after).as("programs still loaded").isEqualTo(programsBefore);
      assertThat(Files.readString(profiles)).contains("SYS_CHROOT");
    }
  }

  /**
   * On a plain host nothing declares the exporter's own checks expected (a pod has its annotation):
   * its start-up, the drop of every capability included, must fire no alert. Its BPF, PERFMON and
   * SYSLOG checks are allowed and not SYS_ADMIN; no check is denied.
   */
  @Test
  void on_a_plain_host_its_own_start_up_makes_no_check_an_alert_fires_on(@TempDir Path dir)
      throws Exception {
    KernelTests.requireRoot();
    Map<String, String> environment = new HashMap<>();
    environment.put("KUBECONFIG", null);
    environment.put("KUBERNETES_SERVICE_HOST", null);
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", null);
    try (TestCgroup cgroup = TestCgroup.create("own-start-up");
        LaunchedExporter exporter = LaunchedExporter.start(cgroup, dir, environment)) {
      assertThat(exporter.log()).contains("capabilities after start-up: kept none");
      String name = cgroup.label();
      String own = await(exporter, "/metrics", "container=\"" + name + "\"");
      List<String> series =
          own.lines()
              .filter(line -> line.startsWith("capability_checks_total{"))
              .filter(line -> line.contains("container=\"" + name + "\""))
              .toList();
      assertThat(series).as("its own checks are counted").isNotEmpty();
      assertThat(series)
          .as("what CapabilityUnexpectedDeny or CapabilityUnexpectedSysAdmin would fire on")
          .noneMatch(
              line ->
                  line.contains("expected=\"false\"")
                      && (line.contains("verdict=\"deny\"")
                          || line.contains("capability=\"SYS_ADMIN\"")));
      assertThat(exporter.stop()).as(exporter.log()).isZero();
    }
  }

  /** The body of {@code path} once it contains {@code text}, or the last one after 15 s. */
  private static String await(LaunchedExporter exporter, String path, String text)
      throws Exception {
    String body = "";
    for (int attempt = 0; attempt < 150 && !body.contains(text); attempt++) {
      if (attempt > 0) {
        Thread.sleep(100);
      }
      body = exporter.get(path);
    }
    return body;
  }
}
