package io.capabilityexporter.metrics;

import static io.capabilityexporter.testing.Exposition.checks;
import static io.capabilityexporter.testing.Exposition.value;
import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.helper;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole counting path on the real kernel: BPF program, maps, attribution, exposition; also
 * where cgroups come and go between scrapes, as Jobs, init containers and {@code kubectl run --rm}
 * pods do: every check is counted under the cgroup that made it.
 */
@KernelTest
class CountingKernelTest {
  private static Exporter exporter;

  @BeforeAll
  static void attach() throws Exception {
    exporter =
        Exporter.start(
            ProbeOptions.defaults(),
            CheckCounters.Lifetimes.defaults(),
            "test",
            Map.of("OTEL_SDK_DISABLED", "true"),
            new Exporter.Files(null, null));
  }

  @AfterAll
  static void detach() {
    exporter.close();
  }

  private static String scrape() throws Exception {
    return exporter.scraper().scrape(false).body();
  }

  /** The series' value once it appears (a removed cgroup is released a moment after rmdir). */
  private static Optional<Double> scrapeUntilPresent(String series) throws Exception {
    for (int attempt = 0; attempt < 30; attempt++) {
      Optional<Double> value = value(scrape(), series);
      if (value.isPresent()) {
        return value;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }

  @Test
  void counts_every_denied_chroot_of_a_cgroup_exactly() throws Exception {
    int n = 1000;
    try (TestCgroup cgroup = TestCgroup.create("chroot")) {
      String series = checks(cgroup.label(), "SYS_CHROOT", "deny", false);
      assertThat(value(scrape(), series)).isEmpty();

      assertThat(trigger(cgroup, CAP_SYS_CHROOT, "chroot", n)).isEqualTo("0 allowed 1000 denied");

      assertThat(scrapeUntilPresent(series)).contains((double) n);
      assertThat(value(scrape(), checks(cgroup.label(), "SYS_CHROOT", "allow", false))).isEmpty();
    }
  }

  @Test
  void counts_a_hundred_thousand_allowed_checks_exactly() throws Exception {
    int m = 100_000;
    try (TestCgroup cgroup = TestCgroup.create("acct")) {
      String series = checks(cgroup.label(), "SYS_PACCT", "allow", false);

      trigger(cgroup, null, "acct", m);
      assertThat(scrapeUntilPresent(series)).contains((double) m);

      trigger(cgroup, null, "acct", m);
      assertThat(value(scrape(), series)).contains(2.0 * m);
    }
  }

  @Test
  void marks_the_noaudit_checks_of_exec_and_mmap_as_expected() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("exec")) {
      trigger(cgroup, null, "acct", 1);
      scrapeUntilPresent(checks(cgroup.label(), "SYS_PACCT", "allow", false));

      String exposition = scrape();
      // Every writable private mmap of the exec'd helper asks SYS_ADMIN without auditing.
      assertThat(value(exposition, checks(cgroup.label(), "SYS_ADMIN", "allow", true)))
          .hasValueSatisfying(count -> assertThat(count).isPositive());
      assertThat(value(exposition, checks(cgroup.label(), "SYS_ADMIN", "allow", false))).isEmpty();
    }
  }

  @Test
  void keeps_the_counts_of_a_removed_cgroup_and_frees_its_map_entries() throws Exception {
    String label;
    long id;
    try (TestCgroup cgroup = TestCgroup.create("gone")) {
      label = cgroup.label();
      id = cgroup.id();
      trigger(cgroup, CAP_SYS_CHROOT, "chroot", 7);
      assertThat(scrapeUntilPresent(checks(label, "SYS_CHROOT", "deny", false))).contains(7.0);
    }
    // The kernel releases a removed cgroup a moment after rmdir; the next scrape frees its counts.
    long held = -1;
    for (int attempt = 0; attempt < 50 && held != 0; attempt++) {
      scrape();
      held =
          exporter.probe().readCounts().counts().stream()
              .filter(count -> count.key().cgroupId() == id)
              .count();
      Thread.sleep(100);
    }
    assertThat(held).as("counts the kernel still holds for the removed cgroup").isZero();
    assertThat(value(scrape(), checks(label, "SYS_CHROOT", "deny", false))).contains(7.0);
  }

  @Test
  void serves_the_self_metrics_of_the_attached_hook_and_the_map() throws Exception {
    String exposition = scrape();

    assertThat(exposition)
        .contains(
            "capability_exporter_hook_attached{audit_known=\"true\",hook=\"tp_btf/cap_capable\"} 1")
        .contains("capability_exporter_map_capacity{map=\"counts\"} 16384")
        .contains("capability_exporter_checks_unattributed_total{reason=\"counts_map_full\"} 0")
        .contains("capability_exporter_build_info{");
    assertThat(value(exposition, "capability_exporter_map_memory_bytes{map=\"counts\"}"))
        .hasValueSatisfying(bytes -> assertThat(bytes).isPositive());
  }

  @Test
  void a_full_map_still_counts_every_check_under_overflow() throws Exception {
    try (Exporter small =
            Exporter.start(
                new ProbeOptions(2, ProbeOptions.defaults().hooks(), EventOptions.OFF)
                    .withCgroupSlots(1),
                CheckCounters.Lifetimes.defaults(),
                "test",
                Map.of("OTEL_SDK_DISABLED", "true"),
                new Exporter.Files(null, null));
        TestCgroup first = TestCgroup.create("full");
        TestCgroup second = TestCgroup.create("full");
        TestCgroup third = TestCgroup.create("full")) {
      for (TestCgroup cgroup : List.of(first, second, third)) {
        trigger(cgroup, CAP_SYS_CHROOT, "chroot", 100);
      }
      String exposition = small.scraper().scrape(false).body();

      double total =
          exposition
              .lines()
              .filter(line -> line.startsWith("capability_checks_total{capability=\"SYS_CHROOT\""))
              .filter(line -> line.contains("verdict=\"deny\""))
              .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
              .sum();
      assertThat(total).isEqualTo(300.0);
      assertThat(value(exposition, checks("(overflow)", "SYS_CHROOT", "deny", false)))
          .hasValueSatisfying(count -> assertThat(count).isPositive());
      assertThat(
              value(
                  exposition,
                  "capability_exporter_checks_unattributed_total{reason=\"counts_map_full\"}"))
          .hasValueSatisfying(count -> assertThat(count).isPositive());
    }
  }

  private static final String FAILURES =
      "capability_exporter_attribution_failures_total{reason=\"path_lost\"}";

  /** The kernel releases a removed cgroup a moment after rmdir: scrapes until the value shows. */
  private static Optional<Double> scrapeUntil(String series, double expected) throws Exception {
    Optional<Double> value = Optional.empty();
    for (int attempt = 0; attempt < 100; attempt++) {
      value = value(scrape(), series);
      if (value.isPresent() && value.get() == expected) {
        return value;
      }
      Thread.sleep(100);
    }
    return value;
  }

  @Test
  void counts_a_thousand_checks_of_a_cgroup_removed_before_the_next_scrape_under_its_path()
      throws Exception {
    scrape();
    String label;
    try (TestCgroup cgroup = TestCgroup.create("blink")) {
      label = cgroup.label();
      assertThat(trigger(cgroup, CAP_SYS_CHROOT, "chroot", 1000))
          .isEqualTo("0 allowed 1000 denied");
    }
    assertThat(scrapeUntil(checks(label, "SYS_CHROOT", "deny", false), 1000))
        .as("the removed cgroup's checks, under its own path")
        .contains(1000.0);
  }

  @Test
  void names_two_hundred_short_lived_cgroups_each_denied_once() throws Exception {
    double failuresBefore = value(scrape(), FAILURES).orElseThrow();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try (TestCgroup cgroup = TestCgroup.create("short")) {
        labels.add(cgroup.label());
        trigger(cgroup, CAP_SYS_CHROOT, "chroot", 1);
      }
    }
    List<String> missing = labels;
    for (int attempt = 0; attempt < 100 && !missing.isEmpty(); attempt++) {
      String exposition = scrape();
      missing =
          missing.stream()
              .filter(
                  label ->
                      !value(exposition, checks(label, "SYS_CHROOT", "deny", false))
                          .equals(Optional.of(1.0)))
              .toList();
      Thread.sleep(100);
    }
    assertThat(missing).as("short-lived cgroups not counted under their own path").isEmpty();
    assertThat(value(scrape(), FAILURES)).contains(failuresBefore);
  }

  /**
   * 4,000 cgroups made, denied chroot once and removed one after another, with no scrape: each
   * leaves ~3 keys (its chroot, the noaudit probes of its exec), 12,000 in all, in a kernel with 16
   * slots and 4,096 spill entries. Only entries freed as the cgroups go (not at a scrape) keep
   * every one under its own path.
   */
  @Test
  void frees_the_entries_of_departed_cgroups_without_waiting_for_a_scrape() throws Exception {
    int churned = 4_000;
    try (Exporter small =
            Exporter.start(
                new ProbeOptions(4_096, ProbeOptions.defaults().hooks(), EventOptions.OFF)
                    .withCgroupSlots(16),
                CheckCounters.Lifetimes.defaults(),
                "test",
                Map.of("OTEL_SDK_DISABLED", "true"),
                new Exporter.Files(null, null));
        TestCgroup parent = TestCgroup.create("reclaim")) {
      Process churn =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  """
                  i=0
                  while [ $i -lt %d ]; do
                    d=%s/c$i
                    mkdir "$d"
                    %s --cgroup "$d" --drop %d chroot 1 >/dev/null || exit 1
                    n=0
                    until rmdir "$d" 2>/dev/null; do
                      n=$((n + 1)); [ $n -lt 2000 ] || exit 1; sleep 0.01
                    done
                    i=$((i + 1))
                  done
                  """
                      .formatted(churned, parent.directory(), helper("trigger"), CAP_SYS_CHROOT))
              .redirectErrorStream(true)
              .start();
      String output = new String(churn.getInputStream().readAllBytes());
      assertThat(churn.waitFor()).as("the churn: " + output).isZero();

      String chroot = "capability_checks_total{capability=\"SYS_CHROOT\",container=\"";
      String exposition = "";
      long named = 0;
      for (int attempt = 0; attempt < 100 && named < churned; attempt++) {
        Thread.sleep(100);
        exposition = small.scraper().scrape(false).body();
        named =
            exposition
                .lines()
                .filter(line -> line.startsWith(chroot + parent.label() + "/c"))
                .filter(line -> line.contains("verdict=\"deny\"") && line.endsWith(" 1"))
                .count();
      }
      assertThat(named).as("churned cgroups counted once under their own path").isEqualTo(churned);
      assertThat(value(exposition, checks("(overflow)", "SYS_CHROOT", "deny", false)))
          .as("denied chroots counted without their cgroup")
          .isEmpty();
      assertThat(
              value(
                  exposition,
                  "capability_exporter_checks_unattributed_total{reason=\"counts_map_full\"}"))
          .contains(0.0);
    }
  }

  @Test
  void counts_ten_million_checks_from_two_processes_exactly() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("flood")) {
      List<Process> processes = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        processes.add(
            new ProcessBuilder(
                    helper("trigger").toString(),
                    "--cgroup",
                    cgroup.directory().toString(),
                    "acct",
                    "5000000")
                .redirectErrorStream(true)
                .start());
      }
      for (Process process : processes) {
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(process.getInputStream().readAllBytes()).strip())
            .isEqualTo("5000000 allowed 0 denied");
      }
      assertThat(scrapeUntil(checks(cgroup.label(), "SYS_PACCT", "allow", false), 10_000_000))
          .contains(10_000_000.0);
    }
  }
}
