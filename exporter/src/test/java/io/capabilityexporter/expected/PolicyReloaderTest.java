package io.capabilityexporter.expected;

import static io.capabilityexporter.expected.NamedChecks.denied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.testing.Exposition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloaderTest {
  private static final Workload CRON = Workload.container("cron.service");
  private static final String CRON_SETUID =
      "rules: [{containers: [cron.service], capabilities: [SETUID]}]\n";
  private static final String CRON_SETGID =
      "rules: [{containers: [cron.service], capabilities: [SETGID, KILL]}]\n";
  private static final String BROKEN =
      "rules: [{containers: [cron.service], capabilities: [SETUIDD]}]\n";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  @TempDir Path dir;
  private PolicyReloader reloader;

  @AfterEach
  void stop() {
    if (reloader != null) {
      reloader.close();
    }
  }

  @Test
  void a_changed_file_applies_at_reload() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofHours(1));
    Expectations expectations = new RuleExpectations(reloader, PodLookup.NONE);
    assertThat(expectations.expected(CRON, denied("SETUID"))).isTrue();

    Files.writeString(file, CRON_SETGID);

    assertThat(reloader.reload()).isTrue();
    assertThat(expectations.expected(CRON, denied("SETUID"))).isFalse();
    assertThat(expectations.expected(CRON, denied("SETGID"))).isTrue();
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(1.0);
    assertThat(metric("capability_exporter_config_reloads_total{result=\"success\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void a_broken_file_keeps_the_old_rules_until_it_is_fixed() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    double before = System.currentTimeMillis() / 1000.0;
    reloader = PolicyReloader.start(file, registry, Duration.ofHours(1));
    Expectations expectations = new RuleExpectations(reloader, PodLookup.NONE);
    double loaded = metric("capability_exporter_config_last_reload_success_timestamp_seconds");
    assertThat(loaded).isBetween(before - 1, System.currentTimeMillis() / 1000.0 + 1);
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(1.0);

    Files.writeString(file, BROKEN);

    assertThat(reloader.reload()).isFalse();
    assertThat(expectations.expected(CRON, denied("SETUID"))).isTrue();
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(0.0);
    assertThat(metric("capability_exporter_config_last_reload_success_timestamp_seconds"))
        .isEqualTo(loaded);
    assertThat(metric("capability_exporter_config_reloads_total{result=\"failure\"}"))
        .isEqualTo(1.0);

    Thread.sleep(10);
    Files.writeString(file, CRON_SETGID);

    assertThat(reloader.reload()).isTrue();
    assertThat(expectations.expected(CRON, denied("SETUID"))).isFalse();
    assertThat(expectations.expected(CRON, denied("SETGID"))).isTrue();
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(1.0);
    assertThat(metric("capability_exporter_config_last_reload_success_timestamp_seconds"))
        .isGreaterThan(loaded);
    assertThat(metric("capability_exporter_config_reloads_total{result=\"failure\"}"))
        .isEqualTo(1.0);
    assertThat(metric("capability_exporter_config_reloads_total{result=\"success\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void exposes_the_reload_metrics_as_prometheus_and_alertmanager_do() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofHours(1));
    Files.writeString(file, BROKEN);
    reloader.reload();

    String exposition =
        registry
            .scrape()
            .lines()
            .filter(line -> line.contains("capability_exporter_config_"))
            .map(line -> line.replaceAll("^(\\w+_seconds) \\S+$", "$1 TIME"))
            .collect(Collectors.joining("\n", "", "\n"));

    assertThat(exposition)
        .isEqualTo(
            """
            # HELP capability_exporter_config_last_reload_success_timestamp_seconds When the policy file was last loaded successfully, in Unix time.
            # TYPE capability_exporter_config_last_reload_success_timestamp_seconds gauge
            capability_exporter_config_last_reload_success_timestamp_seconds TIME
            # HELP capability_exporter_config_last_reload_successful Whether the last load of the policy file (--config) succeeded.
            # TYPE capability_exporter_config_last_reload_successful gauge
            capability_exporter_config_last_reload_successful 0.0
            # HELP capability_exporter_config_reloads_total Re-reads of the policy file after start-up, by result.
            # TYPE capability_exporter_config_reloads_total counter
            capability_exporter_config_reloads_total{result="failure"} 1.0
            capability_exporter_config_reloads_total{result="success"} 0.0
            """);
  }

  @Test
  void a_file_that_does_not_load_at_start_up_is_an_error() throws Exception {
    Path file = write("policy.yaml", BROKEN);

    assertThatThrownBy(() -> PolicyReloader.start(file, registry))
        .isInstanceOf(PolicyException.class)
        .hasMessage(
            file
                + ":1: rules[0].capabilities[0]: \"SETUIDD\" is not a capability (did you mean"
                + " SETUID?)");
  }

  @Test
  void polling_sees_an_edited_file() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));

    Files.writeString(file, CRON_SETGID);

    awaitCovered(CRON, "SETGID");
    assertThat(metric("capability_exporter_config_reloads_total{result=\"success\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void polling_sees_a_configmap_swap_its_data_symlink() throws Exception {
    // A ConfigMap volume: policy.yaml -> ..data/policy.yaml, ..data -> ..v1; an update writes
    // ..v2 and renames a new ..data link over the old one.
    Files.createDirectories(dir.resolve("..v1"));
    Files.writeString(dir.resolve("..v1/policy.yaml"), CRON_SETUID);
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
    Path file = dir.resolve("policy.yaml");
    Files.createSymbolicLink(file, Path.of("..data/policy.yaml"));
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));

    Files.createDirectories(dir.resolve("..v2"));
    Files.writeString(dir.resolve("..v2/policy.yaml"), CRON_SETGID);
    Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
    Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    awaitCovered(CRON, "SETGID");
  }

  @Test
  void polling_reports_a_broken_file_once_and_picks_up_its_fix() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));

    replace(file, BROKEN);
    awaitMetric("capability_exporter_config_last_reload_successful", 0.0);
    Thread.sleep(200);

    assertThat(metric("capability_exporter_config_reloads_total{result=\"failure\"}"))
        .isEqualTo(1.0);
    assertThat(reloader.get().size()).isEqualTo(1);
    replace(file, CRON_SETGID);
    awaitCovered(CRON, "SETGID");
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(1.0);
  }

  @Test
  void a_deleted_file_leaves_the_policy_in_force_until_it_is_back() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));

    Files.delete(file);
    awaitMetric("capability_exporter_config_last_reload_successful", 0.0);

    assertThat(new RuleExpectations(reloader, PodLookup.NONE).expected(CRON, denied("SETUID")))
        .isTrue();
    write("policy.yaml", CRON_SETGID);
    awaitCovered(CRON, "SETGID");
  }

  @Test
  void a_fifo_put_in_place_keeps_the_policy_in_force_and_a_later_good_file_loads()
      throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));
    Path fifo = dir.resolve("policy.yaml.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    Files.move(fifo, file, StandardCopyOption.ATOMIC_MOVE);

    refusedAndKept(file, "is a FIFO, not a regular file");
  }

  @Test
  void a_huge_file_put_in_place_keeps_the_policy_in_force_and_a_later_good_file_loads()
      throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));
    Path huge = dir.resolve("policy.yaml.huge");
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      sparse.setLength(200L << 20); // 200 MiB, sparse: what once ended the process out of memory
    }

    Files.move(huge, file, StandardCopyOption.ATOMIC_MOVE);

    refusedAndKept(file, "is larger than 1 MiB");
  }

  /**
   * The poll and SIGHUP's reload both refuse the file at once, the rules in force stay and the
   * failure is counted; then a good file loads.
   */
  private void refusedAndKept(Path file, String fault) throws Exception {
    awaitMetric("capability_exporter_config_reloads_total{result=\"failure\"}", 1.0);
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(0.0);
    boolean loaded =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> reloader.reload()); // SIGHUP
    assertThat(loaded).isFalse();
    assertThat(metric("capability_exporter_config_reloads_total{result=\"failure\"}"))
        .isEqualTo(2.0);
    assertThat(new RuleExpectations(reloader, PodLookup.NONE).expected(CRON, denied("SETUID")))
        .as("the previous policy in force")
        .isTrue();
    assertThatThrownBy(() -> Policy.load(file))
        .hasMessage(
            "policy file "
                + file
                + " "
                + fault
                + ": point --config at a regular file of at most 1 MiB");

    replace(file, CRON_SETGID);
    awaitCovered(CRON, "SETGID");
    assertThat(metric("capability_exporter_config_last_reload_successful")).isEqualTo(1.0);
  }

  @Test
  void stops_polling_when_closed() throws Exception {
    Path file = write("policy.yaml", CRON_SETUID);
    reloader = PolicyReloader.start(file, registry, Duration.ofMillis(20));
    reloader.close();

    Files.writeString(file, CRON_SETGID);
    Thread.sleep(200);

    assertThat(new RuleExpectations(reloader, PodLookup.NONE).expected(CRON, denied("SETUID")))
        .isTrue();
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  /** As editors and `kubectl cp` do: a new file renamed over the old one. */
  private void replace(Path file, String text) throws Exception {
    Path next = Files.writeString(dir.resolve(file.getFileName() + ".new"), text);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private double metric(String series) {
    return Exposition.value(registry.scrape(), series)
        .orElseThrow(() -> new AssertionError(series + " missing in\n" + registry.scrape()));
  }

  private void awaitCovered(Workload workload, String capability) throws InterruptedException {
    Expectations expectations = new RuleExpectations(reloader, PodLookup.NONE);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!expectations.expected(workload, denied(capability)) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(expectations.expected(workload, denied(capability))).isTrue();
  }

  private void awaitMetric(String series, double value) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (metric(series) != value && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(metric(series)).isEqualTo(value);
  }
}
