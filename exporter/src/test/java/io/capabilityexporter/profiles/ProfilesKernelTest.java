package io.capabilityexporter.profiles;

import static io.capabilityexporter.testing.Exposition.checks;
import static io.capabilityexporter.testing.Exposition.value;
import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workload of its own (a cgroup) whose processes call chroot and nice with those capabilities
 * dropped, recorded by the running exporter from real check events; then the exporter restarts.
 */
@KernelTest
class ProfilesKernelTest {
  @TempDir Path dir;

  private static Exporter start(Path profiles) throws Exception {
    return Exporter.start(
        Probe.Options.defaults(),
        CheckCounters.Lifetimes.defaults(),
        "test",
        Map.of("OTEL_SDK_DISABLED", "true"),
        new Exporter.Files(null, profiles));
  }

  /** {@code nice -n -20 true} without CAP_SYS_NICE, in the cgroup. */
  private static void niceWithoutSysNice(TestCgroup cgroup) throws Exception {
    cgroup.run("exec capsh --drop=cap_sys_nice -- -c 'exec nice -n -20 true'");
  }

  private static ContainerProfile containerOf(Profiles profiles, String container) {
    return profiles.workloads().stream()
        .flatMap(w -> w.containers().stream())
        .filter(c -> c.name().equals(container))
        .findFirst()
        .orElse(null);
  }

  @Test
  void recommends_adding_what_was_denied_and_dropping_all_and_survives_a_restart()
      throws Exception {
    Path file = dir.resolve("profiles.json");
    try (TestCgroup cgroup = TestCgroup.create("profile")) {
      try (Exporter exporter = start(file)) {
        trigger(cgroup, CAP_SYS_CHROOT, "chroot", 50);
        niceWithoutSysNice(cgroup);
        String json = "";
        for (int i = 0; i < 100 && !json.contains("SYS_NICE"); i++) {
          Thread.sleep(100);
          json = exporter.profilesJson().orElseThrow().text();
        }
        assertThat(json).contains(cgroup.label()).contains("SYS_CHROOT").contains("SYS_NICE");
      } // close writes the file

      Profiles kept = ProfileStore.read(file, ProfileLimits.DEFAULT);
      ContainerProfile profile = containerOf(kept, cgroup.label());
      assertThat(profile).as("the cgroup's profile, kept across the restart").isNotNull();
      assertThat(
              profile.capabilities().stream()
                  .filter(use -> use.capability().equals("SYS_CHROOT"))
                  .mapToLong(CapabilityUse::denied)
                  .sum())
          .as("the profile's count equals the checks the kernel made")
          .isEqualTo(50);
      String text = ProfileFormat.text(kept);
      assertThat(text)
          .contains("SYS_CHROOT")
          .contains("SYS_NICE")
          .containsPattern("drop: \\[ALL\\], add: \\[[A-Z_, ]*SYS_CHROOT, SYS_NICE[A-Z_, ]*\\]")
          .contains("denied SYS_CHROOT, SYS_NICE: add them, or fix the program");
      // Every mmap of those processes made a noaudit SYS_ADMIN check: it must not show.
      assertThat(profile.toString()).doesNotContain("SYS_ADMIN");

      try (Exporter restarted = start(file)) {
        assertThat(restarted.profilesJson().orElseThrow().text())
            .as("the profile is still there after a restart")
            .contains(cgroup.label())
            .contains("SYS_NICE");
      }
    }
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void a_user_namespace_the_workload_made_is_expected_and_never_recommended() throws Exception {
    Path file = dir.resolve("profiles.json");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    try (TestCgroup cgroup = TestCgroup.create("rootless");
        Exporter exporter = start(file)) {
      for (String script :
          List.of(
              "unshare -Urm mount -t tmpfs tmpfs " + mnt, // a rootless build's mount
              "unshare -Urf mount -t tmpfs tmpfs " + mnt + " || true")) { // the seed: denied
        cgroup.run(script);
      }
      String exposition = "";
      String seed = checks(cgroup.label(), "SYS_ADMIN", "deny", false);
      for (int i = 0; i < 50 && value(exposition, seed).isEmpty(); i++) {
        Thread.sleep(100);
        exposition = exporter.scraper().scrape(false).body();
      }
      assertThat(value(exposition, seed)).as("the seed case: an unexpected deny").isPresent();
      assertThat(value(exposition, checks(cgroup.label(), "SYS_ADMIN", "allow", false)))
          .as("the nested namespace's SYS_ADMIN is expected")
          .isEmpty();
      assertThat(value(exposition, checks(cgroup.label(), "SYS_ADMIN", "allow", true))).isPresent();
      Thread.sleep(1500); // the events' last window
      String json = exporter.profilesJson().orElseThrow().text();
      assertThat(json).doesNotContain("SYS_ADMIN");
    }
  }
}
