package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.probe.Count;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Counts;
import io.capabilityexporter.testing.Exposition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The folding of kernel totals into series, with the kernel map and the cgroup tree as tables. */
class CheckCountersTest {
  private static final CountKey CHROOT_DENIED = new CountKey(42, 18, true, Flag.YES);
  private static final CountKey MMAP_NOAUDIT = new CountKey(42, 21, false, Flag.NO);

  private final Map<CountKey, Long> kernel = new LinkedHashMap<>();
  private final List<Long> forgotten = new ArrayList<>();
  private final Set<Long> departed = new HashSet<>();
  private final Map<Long, Workload> cgroups = new HashMap<>();
  private final Set<Long> gone = new HashSet<>();
  private long now;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private final CountSource source =
      new CountSource() {
        @Override
        public Counts readCounts() {
          return new Counts(
              kernel.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList(),
              Set.copyOf(departed),
              0,
              kernel.size());
        }

        @Override
        public void forget(long cgroupId) {
          kernel.keySet().removeIf(key -> key.cgroupId() == cgroupId);
          departed.remove(cgroupId);
          forgotten.add(cgroupId);
        }
      };

  private final Attributor attributor =
      new Attributor() {
        @Override
        public Optional<Workload> attribute(long cgroupId) {
          return Optional.ofNullable(cgroups.get(cgroupId));
        }

        @Override
        public boolean isGone(long cgroupId) {
          return gone.contains(cgroupId);
        }
      };

  private final CheckCounters counters =
      new CheckCounters(
          source,
          new CgroupResolver(attributor, Duration.ofSeconds(60), registry),
          (workload, check) -> check.audit() == Flag.NO, // the expected rules' noaudit rule alone
          Duration.ofMinutes(5),
          () -> now);

  private final Scraper scraper = new Scraper(registry, counters);

  private String scrape() throws Exception {
    return scraper.scrape(false).body();
  }

  private static String line(
      String container, String capability, String verdict, boolean expected, String value) {
    return Exposition.checks(container, capability, verdict, expected) + " " + value;
  }

  @Test
  void adds_what_the_kernel_counted_since_the_last_scrape() throws Exception {
    cgroups.put(42L, Workload.container("web.service"));
    kernel.put(CHROOT_DENIED, 3L);
    kernel.put(MMAP_NOAUDIT, 10L);
    assertThat(scrape())
        .contains(line("web.service", "SYS_CHROOT", "deny", false, "3"))
        .contains(line("web.service", "SYS_ADMIN", "allow", true, "10"));

    kernel.put(CHROOT_DENIED, 5L);
    assertThat(scrape()).contains(line("web.service", "SYS_CHROOT", "deny", false, "5"));
  }

  @Test
  void the_runtimes_checks_go_to_their_own_family_unjudged_and_retire_with_the_workload()
      throws Exception {
    cgroups.put(42L, Workload.container("web"));
    CountKey setup = new CountKey(42, 21, false, Flag.YES, 0, Origin.RUNTIME);
    kernel.put(setup, 95L);
    kernel.put(CHROOT_DENIED, 1L);
    String runtime =
        "capability_runtime_checks_total{capability=\"SYS_ADMIN\",container=\"web\","
            + "namespace=\"\",pod=\"\",verdict=\"allow\"} ";
    String exposition = scrape();
    assertThat(exposition)
        .contains(runtime + "95")
        .contains(line("web", "SYS_CHROOT", "deny", false, "1"))
        .doesNotContain(Exposition.checks("web", "SYS_ADMIN", "allow", false))
        .doesNotContain(Exposition.checks("web", "SYS_ADMIN", "allow", true));

    kernel.put(setup, 156L);
    assertThat(scrape()).contains(runtime + "156");

    departed.add(42L);
    scrape();
    now += Duration.ofMinutes(6).toNanos();
    assertThat(scrape()).doesNotContain("container=\"web\"");
  }

  @Test
  void waits_for_a_new_cgroup_to_be_attributed_and_loses_nothing() throws Exception {
    kernel.put(CHROOT_DENIED, 3L);
    assertThat(scrape()).doesNotContain("SYS_CHROOT");

    kernel.put(CHROOT_DENIED, 8L);
    now += Duration.ofSeconds(30).toNanos();
    cgroups.put(42L, Workload.container("late.scope"));
    assertThat(scrape()).contains(line("late.scope", "SYS_CHROOT", "deny", false, "8"));
  }

  @Test
  void counts_under_unknown_once_the_grace_period_runs_out() throws Exception {
    kernel.put(CHROOT_DENIED, 3L);
    scrape();
    now += Duration.ofSeconds(61).toNanos();
    assertThat(scrape())
        .contains(line("(unknown)", "SYS_CHROOT", "deny", false, "3"))
        .contains("capability_exporter_attribution_failures_total{reason=\"path_lost\"} 1.0");
  }

  @Test
  void a_cgroup_gone_before_it_was_seen_counts_one_failure_and_leaves_the_map() throws Exception {
    kernel.put(CHROOT_DENIED, 5L);
    departed.add(42L);
    String failures = "capability_exporter_attribution_failures_total{reason=\"path_lost\"} ";
    assertThat(scrape()).as("its name may still come: it waits").doesNotContain("SYS_CHROOT");
    assertThat(forgotten).isEmpty();
    now += Duration.ofSeconds(61).toNanos();
    assertThat(scrape())
        .contains(line("(unknown)", "SYS_CHROOT", "deny", false, "5"))
        .contains(failures + "1.0");
    assertThat(forgotten).contains(42L);
    assertThat(scrape())
        .as("scrapes after it neither count it again nor lose its checks")
        .contains(line("(unknown)", "SYS_CHROOT", "deny", false, "5"))
        .contains(failures + "1.0");
  }

  @Test
  void an_unresolvable_live_cgroup_is_one_failure_however_many_scrapes() throws Exception {
    kernel.put(CHROOT_DENIED, 3L);
    scrape();
    now += Duration.ofSeconds(61).toNanos();
    scrape();
    kernel.put(CHROOT_DENIED, 7L);
    assertThat(scrape())
        .contains(line("(unknown)", "SYS_CHROOT", "deny", false, "7"))
        .contains("capability_exporter_attribution_failures_total{reason=\"path_lost\"} 1.0");
  }

  @Test
  void folds_a_gone_cgroup_one_last_time_then_forgets_its_counts() throws Exception {
    cgroups.put(42L, Workload.container("job.service"));
    kernel.put(CHROOT_DENIED, 3L);
    scrape();
    kernel.put(CHROOT_DENIED, 4L);
    gone.add(42L);

    // The read may have come before the release: folded once more, then forgotten.
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "4"));
    assertThat(forgotten).isEmpty();
    kernel.put(CHROOT_DENIED, 6L); // checks made between that read and the release
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "6"));
    assertThat(forgotten).containsExactly(42L);
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "6"));
  }

  @Test
  void a_cgroup_the_kernel_marked_departed_is_folded_and_freed() throws Exception {
    cgroups.put(42L, Workload.container("job.service"));
    kernel.put(CHROOT_DENIED, 1000L);
    departed.add(42L);

    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "1000"));
    assertThat(forgotten).containsExactly(42L);
    CountKey again = new CountKey(42, 18, true, Flag.YES);
    kernel.put(again, 1L); // a check that raced the release: counted, not lost, not doubled
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "1001"));
  }

  @Test
  void a_lower_total_adds_nothing_and_counts_again_from_where_it_was() throws Exception {
    cgroups.put(42L, Workload.container("web.service"));
    kernel.put(CHROOT_DENIED, 10L);
    scrape();
    kernel.put(CHROOT_DENIED, 7L); // a read that raced a slot being freed
    assertThat(scrape()).contains(line("web.service", "SYS_CHROOT", "deny", false, "10"));
    kernel.put(CHROOT_DENIED, 12L);
    assertThat(scrape()).contains(line("web.service", "SYS_CHROOT", "deny", false, "12"));
  }

  @Test
  void counts_checks_from_a_full_map_under_overflow() throws Exception {
    kernel.put(new CountKey(CountKey.NO_CGROUP, 18, true, Flag.YES), 9L);
    assertThat(scrape()).contains(line("(overflow)", "SYS_CHROOT", "deny", false, "9"));
  }

  @Test
  void drops_a_gone_workloads_series_after_the_grace_period() throws Exception {
    cgroups.put(42L, Workload.container("job.service"));
    kernel.put(CHROOT_DENIED, 3L);
    scrape();
    gone.add(42L);
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "3"));
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "3"));

    now += Duration.ofMinutes(4).toNanos();
    assertThat(scrape()).contains(line("job.service", "SYS_CHROOT", "deny", false, "3"));
    now += Duration.ofMinutes(2).toNanos();
    assertThat(scrape()).doesNotContain("job.service");
  }

  @Test
  void keeps_the_series_of_a_workload_that_came_back_in_a_new_cgroup() throws Exception {
    cgroups.put(42L, Workload.container("cron.service"));
    kernel.put(CHROOT_DENIED, 3L);
    scrape();
    gone.add(42L);
    scrape();
    scrape();
    CountKey restarted = new CountKey(43, 18, true, Flag.YES);
    cgroups.put(43L, Workload.container("cron.service"));
    kernel.put(restarted, 2L);
    now += Duration.ofMinutes(10).toNanos();

    assertThat(scrape()).contains(line("cron.service", "SYS_CHROOT", "deny", false, "5"));
  }

  @Test
  void escapes_label_values_and_writes_openmetrics_before_eof() throws Exception {
    cgroups.put(42L, Workload.container("/odd\"name\\with\nnewline"));
    kernel.put(CHROOT_DENIED, 3L);

    assertThat(scrape())
        .contains("container=\"/odd\\\"name\\\\with\\nnewline\"")
        .contains("# TYPE capability_checks_total counter\n");
    String openMetrics = scraper.scrape(true).body();
    assertThat(openMetrics).contains("# TYPE capability_checks counter\n").endsWith("# EOF\n");
    assertThat(openMetrics.indexOf("capability_checks_total{"))
        .isLessThan(openMetrics.indexOf("# EOF"));
  }
}
