package io.capabilityexporter.alerts;

import io.capabilityexporter.testing.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    Command.Result result =
        Command.run(
            AlertFiles.ROOT,
            Duration.ofMinutes(2),
            "`make deps` installs it (Debian/Ubuntu: apt-get install --no-install-recommends"
                + " prometheus)",
            command);
    return new Run(command, result.status(), result.output());
  }
}
