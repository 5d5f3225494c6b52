package io.capabilityexporter.metrics;

import static io.capabilityexporter.testing.Exposition.checks;
import static io.capabilityexporter.testing.Exposition.value;
import static io.capabilityexporter.testing.KernelTests.CAP_SYS_CHROOT;
import static io.capabilityexporter.testing.KernelTests.helper;
import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.Exporter;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.testing.TestCgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Counting on the real kernel where cgroups come and go between scrapes, as Jobs, init containers
 * and {@code kubectl run --rm} pods do: every check is counted under the cgroup that made it.
 */
class ShortLivedCgroupsTest {
  private static final String FAILURES =
      "capability_exporter_attribution_failures_total{reason=\"cgroup_unknown\"}";
  private static Exporter exporter;

  @BeforeAll
  static void attach() throws Exception {
    exporter = Exporter.start(Probe.Options.defaults(), CheckCounters.Lifetimes.defaults(), "test");
  }

  @AfterAll
  static void detach() {
    exporter.close();
  }

  private static String scrape() throws Exception {
    return exporter.scraper().scrape(null).body();
  }

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
