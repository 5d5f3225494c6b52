package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs promtool from Debian's prometheus package, as `make deps` installs it. */
final class Promtool {
  record Run(List<String> command, int status, String output) {
    /** Fails with the command and everything promtool printed unless it exited 0. */
    Run assertSucceeded() {
      if (status != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + status + ":\n" + output.stripTrailing());
      }
      return this;
    }
  }

  private Promtool() {}

  /** {@code promtool ARGS... FILES...} in the repository's root, so its output names alerts/... */
  static Run run(List<String> args, List<Path> files) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(args);
    files.forEach(file -> command.add(AlertFiles.ROOT.relativize(file).toString()));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(AlertFiles.ROOT.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is not installed, and the alert rules are checked and tested with it: `make"
              + " deps` installs it (Debian/Ubuntu: apt-get install --no-install-recommends"
              + " prometheus)",
          e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new Run(command, process.exitValue(), output);
  }
}
