package io.capabilityexporter.profiles;

import static io.capabilityexporter.testing.Exposition.checks;
import static io.capabilityexporter.testing.Exposition.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
        ProbeOptions.defaults(),
        CheckCounters.Lifetimes.defaults(),
        "test",
        Map.of("OTEL_SDK_DISABLED", "true"),
        new Exporter.Files(null, profiles));
  }

  /**
   * {@code chroot / true} without CAP_SYS_CHROOT, {@code times} times in the cgroup: each fails
   * (exit status 125) at its one check, as a program that needs the capability does.
   */
  private static void chrootWithoutSysChroot(TestCgroup cgroup, int times) throws Exception {
    cgroup.run(
        "exec capsh --drop=cap_sys_chroot -- -c 'for i in $(seq "
            + times
            + "); do chroot / true 2>/dev/null; done; true'");
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
        chrootWithoutSysChroot(cgroup, 50);
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
      // chroot exits right after its denied check: cut short, SYS_CHROOT added. nice
      // goes on to exec true without the niceness: a deny it coped with, not added.
      assertThat(text)
          .contains("SYS_CHROOT")
          .contains("SYS_NICE")
          .containsPattern("drop: \\[ALL\\], add: \\[[A-Z_, ]*SYS_CHROOT[A-Z_, ]*\\]")
          .doesNotContainPattern("add: \\[[A-Z_, ]*SYS_NICE")
          .contains("cut short: denied SYS_CHROOT right before the process exited")
          .contains("denied SYS_NICE, and the program went on without: not added");
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

  /**
   * A server that checked once at its start and runs on, while 5,000 short-lived cgroups (each one
   * process making one check) come and go: more workloads than the default limit of 2,000, so some
   * go; never the one still running. Each eviction is counted and the last ones named.
   */
  @Test
  void a_churn_of_short_lived_cgroups_does_not_evict_a_long_lived_workload() throws Exception {
    int churned = 5_000;
    try (TestCgroup longLived = TestCgroup.create("long-lived");
        TestCgroup churn = TestCgroup.create("churn");
        Exporter exporter = start(dir.resolve("profiles.json"))) {
      Process server =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  "echo $$ > "
                      + longLived.directory().resolve("cgroup.procs")
                      + " && chroot / true && exec sleep 600")
              .start();
      try {
        awaitJson(exporter, json -> json.contains(longLived.label()));
        Process driver =
            new ProcessBuilder(
                    "sh",
                    "-c",
                    """
                    i=0
                    while [ $i -lt %d ]; do
                      d=%s/c$i
                      mkdir "$d"
                      sh -c "echo \\$\\$ > $d/cgroup.procs && exec chroot / true"
                      n=0
                      until rmdir "$d" 2>/dev/null; do
                        n=$((n + 1)); [ $n -lt 2000 ] || exit 1; sleep 0.01
                      done
                      i=$((i + 1))
                    done
                    """
                        .formatted(churned, churn.directory()))
                .redirectErrorStream(true)
                .start();
        String output = new String(driver.getInputStream().readAllBytes());
        assertThat(driver.waitFor()).as("the churn: " + output).isZero();

        long least = churned + 1 - ProfileLimits.DEFAULT.workloads();
        String json = awaitJson(exporter, text -> evictions(text) >= least);
        assertThat(evictions(json))
            .as("evictions once every churned cgroup was seen")
            .isGreaterThanOrEqualTo(least);
        assertThat(json).as("the long-lived workload's profile").contains(longLived.label());
        assertThat(json).as("the last evictions named").contains(churn.label() + "/c");
        double counted =
            value(
                    exporter.scraper().scrape(false).body(),
                    "capability_exporter_profiles_evicted_total")
                .orElseThrow();
        // The host's own services may add a workload, and an eviction, between the two reads.
        assertThat(counted).as("the evictions counted").isGreaterThanOrEqualTo(least);
        assertThat(evictions(exporter.profilesJson().orElseThrow().text()))
            .isGreaterThanOrEqualTo((long) counted);
      } finally {
        server.destroy();
        server.waitFor();
      }
    }
  }

  private static String awaitJson(Exporter exporter, Predicate<String> done) throws Exception {
    String json = exporter.profilesJson().orElseThrow().text();
    for (int i = 0; i < 1200 && !done.test(json); i++) {
      Thread.sleep(100);
      json = exporter.profilesJson().orElseThrow().text();
    }
    return json;
  }

  private static long evictions(String json) {
    try {
      return new ObjectMapper().readTree(json).path("evictions").asLong();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + json, e);
    }
  }
}
