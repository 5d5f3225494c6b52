package io.capabilityexporter.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool the tests need (promtool, kubectl, a script) to its end or its time limit. The output
 * goes to files, read after the wait, so a tool that hangs fails the test at the limit instead of
 * hanging the build.
 */
public final class Command {
  private Command() {}

  /** What the tool printed, and how it ended. */
  public record Result(int status, String stdout, String stderr) {
    /** Both streams, for messages. */
    public String output() {
      return stdout + stderr;
    }
  }

  /**
   * @param dir the working directory
   * @param install how to get the tool, for the message when it is not there
   */
  public static Result run(Path dir, Duration limit, String install, List<String> command)
      throws IOException, InterruptedException {
    File out = File.createTempFile("command", ".out");
    File err = File.createTempFile("command", ".err");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out)
                .redirectError(err)
                .start();
      } catch (IOException e) {
        throw new AssertionError(command.get(0) + " is not installed: " + install, e);
      }
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + limit);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      out.delete();
      err.delete();
    }
  }
}
