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

  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>(cli());
    command.addAll(args);
    return command;
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
