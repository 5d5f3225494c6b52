package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.probe.ProgramCost;
import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.Exposition;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exporter's own cost, from the kernel's books, on the real kernel: with bpf_stats on (as a
 * user turns it on, for the test's length), the counting program's runs grow by at least the checks
 * a process makes, its run time with them, and the numbers are the ones bpftool reads.
 */
@KernelTest
class ProgramCostKernelTest {
  private static final int CHECKS = 20_000;

  private static ProgramCost counting(Probe probe) {
    return probe.programCosts().stream()
        .filter(cost -> cost.program().equals(probe.hook().program()))
        .findFirst()
        .orElseThrow();
  }

  /** bpftool's run_cnt of the program with this name that is ours (the newest loaded). */
  private static long bpftoolRuns(String name) throws Exception {
    Command.Result shown =
        Command.run(
            Path.of("."),
            Duration.ofSeconds(30),
            "make test installs bpftool",
            List.of("bpftool", "-j", "prog", "show", "name", name));
    assertThat(shown.status()).as(shown.output()).isZero();
    long runs = -1;
    long newest = -1;
    JsonNode programs = new ObjectMapper().readTree(shown.stdout());
    for (JsonNode program : programs.isArray() ? programs : List.of(programs)) {
      if (program.path("id").asLong() > newest) {
        newest = program.path("id").asLong();
        runs = program.path("run_cnt").asLong(0);
      }
    }
    return runs;
  }

  @Test
  void the_counting_programs_runs_and_time_grow_with_the_checks_as_bpftool_reads_them()
      throws Exception {
    KernelTests.requireRoot();
    Path sysctl = ProgramCostMetrics.STATS_ENABLED;
    String before = Files.readString(sysctl).strip();
    Files.writeString(sysctl, "1");
    try (Probe probe = Probe.attach(ProbeOptions.defaults());
        TestCgroup cgroup = TestCgroup.create("cost")) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ProgramCostMetrics.register(registry, probe);
      assertThat(ProgramCostMetrics.statsEnabled()).isEqualTo(1);
      ProgramCost start = counting(probe);
      KernelTests.trigger(cgroup, null, "chroot", CHECKS);
      ProgramCost end = counting(probe);
      assertThat(end.runs() - start.runs())
          .as("runs: the chroots and the machine's others")
          .isGreaterThanOrEqualTo(CHECKS);
      assertThat(end.runTimeNanos()).isGreaterThan(start.runTimeNanos());
      long ours = counting(probe).runs();
      long bpftool = bpftoolRuns(probe.hook().program());
      long oursAfter = counting(probe).runs();
      assertThat(bpftool)
          .as("bpftool's run_cnt, read between two of ours")
          .isBetween(ours, oursAfter);
      Thread.sleep(600); // past the metrics' one read a scrape
      System.gc(); // a meter's function must not hang on what only a weak reference holds
      double runs =
          Exposition.value(
                  registry.scrape(),
                  "capability_exporter_bpf_program_runs_total{program=\""
                      + probe.hook().program()
                      + "\"}")
              .orElseThrow();
      assertThat(runs).isGreaterThanOrEqualTo(oursAfter);
      assertThat(registry.scrape())
          .contains("capability_exporter_bpf_stats_enabled 1.0")
          .contains("capability_exporter_bpf_program_run_seconds_total{program=\"task_forked\"}")
          .contains("capability_exporter_bpf_program_recursion_misses_total{program=");
    } finally {
      Files.writeString(sysctl, before);
    }
  }
}
