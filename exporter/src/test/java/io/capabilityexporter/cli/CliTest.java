package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The commands' shape: help from their declarations, and errors that name the closest word. */
class CliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void the_usage_names_every_command_with_its_summary() {
    for (String help : new String[] {"help", "--help", "-h"}) {
      out.reset();
      assertThat(run(help)).isZero();
      assertThat(out())
          .startsWith("Usage: capability-exporter [COMMAND] [flags]\n\nCommands:\n")
          .contains(
              "  run       count capability checks and serve them to Prometheus (the default)")
          .contains("  trace     print capability checks live")
          .contains("  decode    the capabilities in a mask")
          .contains("  profile   print recorded profiles")
          .contains("  version   print the version")
          .contains("  help      print this help")
          .endsWith("`capability-exporter COMMAND --help` describes a command's flags.\n");
    }
  }

  @Test
  void a_commands_help_lists_its_flags_with_their_defaults_in_one_column() {
    assertThat(run("run", "--help")).isZero();
    assertThat(out())
        .startsWith(
            "Usage: capability-exporter run [flags]\n\nCounts every capability check the kernel"
                + " makes and serves the counts to Prometheus.\n\n")
        .contains("  --web.listen-address=HOST:PORT   where to serve HTTP (default :9741)\n")
        .contains("  --series.grace-period=DURATION   how long the series of a workload whose")
        .contains(
            "  --bpf.counts-max-entries=N       capacity of the kernel's spill map: the counts")
        .contains(
            "  --bpf.cgroup-ring-size=BYTES     the kernel's ring of cgroups made and released")
        .contains("\nEnvironment: OTEL_* (OTLP log records)");
    out.reset();
    assertThat(run("trace", "-h")).isZero();
    assertThat(out())
        .contains("  -o, --output=FORMAT ")
        .contains("  --audit-only[=true|false]    leave out the checks the kernel does not audit")
        .contains("  --unique                     show a capability once per container and verdict")
        .contains("  --cluster                    ask every exporter of the cluster")
        .contains("\nColumns: time timestamp node");
  }

  @Test
  void no_help_line_is_wider_than_the_terminal_it_is_written_for() {
    for (String command : new String[] {"run", "trace", "decode", "profile"}) {
      out.reset();
      assertThat(run(command, "--help")).isZero();
      assertThat(out().lines())
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(96));
    }
  }

  @Test
  void flags_alone_mean_run() {
    assertThat(run("--web.listen-adress=:1")).isEqualTo(2);
    assertThat(err())
        .startsWith(
            "capability-exporter: run: unknown flag --web.listen-adress (did you mean"
                + " --web.listen-address?); known flags: --web.listen-address,");
  }

  @Test
  void an_unknown_command_is_named_with_the_closest_one() {
    assertThat(run("tarce")).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "capability-exporter: unknown command 'tarce' (did you mean trace?); commands: run,"
                + " trace, decode, profile, version, help (see --help)\n");
  }

  @Test
  void version_prints_the_version() {
    assertThat(run("--version")).isZero();
    assertThat(out()).isEqualTo("capability-exporter dev\n");
  }
}
