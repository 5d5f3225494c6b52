package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A container engine driven through its docker-compatible command line: Podman or Docker. */
abstract class ContainerEngine {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  /** The command line up to the subcommand: the program and its global options. */
  abstract List<String> cli();

  /** How to get the engine, for the message when it is not installed. */
  abstract String install();

  /** The cgroup the engine's command line runs in (with what it starts); null: this JVM's. */
  private Path cgroup;

  /** From now on the engine's command line runs in the cgroup {@code dir} (cgroup v2). */
  void runIn(Path dir) {
    this.cgroup = dir;
  }

  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>(inCgroup(cgroup));
    command.addAll(cli());
    command.addAll(args);
    return command;
  }

  /**
   * The words that run a command in the cgroup {@code dir}: a shell that moves itself there, then
   * execs it. None for null.
   */
  static List<String> inCgroup(Path dir) {
    return dir == null
        ? List.of()
        : List.of("sh", "-c", "echo $$ > " + dir.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
  }

  Command.Result run(List<String> args) throws IOException, InterruptedException {
    return Command.run(Path.of("/"), LIMIT, install(), command(args));
  }

  /** Runs {@code args}, failing the test unless it exits 0; its standard output, stripped. */
  String ok(String... args) throws IOException, InterruptedException {
    Command.Result result = run(List.of(args));
    assertThat(result.status())
        .as("%s %s: %s", cli().get(0), String.join(" ", args), result.output())
        .isZero();
    return result.stdout().strip();
  }
}
