package io.capabilityexporter.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/capability-exporter run} as a user starts it, on a free loopback port, its output in a
 * file (so that nothing blocks on a full pipe). {@link #close} stops it; so does the JVM's exit.
 */
public final class LaunchedExporter implements AutoCloseable {
  private static final Pattern SERVING =
      Pattern.compile("serving https?://127\\.0\\.0\\.1:(\\d+)/metrics");

  private final Process process;
  private final Path log;
  private final Thread killer;
  private int port;

  private LaunchedExporter(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.killer = Processes.killOnExit(process, "kill-exporter");
  }

  /** Starts the exporter with these flags besides the listen address; waits for its start-up. */
  public static LaunchedExporter start(Path dir, String... flags) throws Exception {
    return start(dir, Map.of(), flags);
  }

  /**
   * As above, with {@code environment} laid over this JVM's (a null value removes the variable).
   */
  public static LaunchedExporter start(Path dir, Map<String, String> environment, String... flags)
      throws Exception {
    return start(null, dir, environment, flags);
  }

  /**
   * As above, in {@code cgroup}, which it moves itself into before the launcher runs (as a systemd
   * unit's process is), so its own checks carry the cgroup's name; null: where this JVM runs.
   */
  public static LaunchedExporter start(
      TestCgroup cgroup, Path dir, Map<String, String> environment, String... flags)
      throws Exception {
    List<String> command = new ArrayList<>();
    if (cgroup != null) {
      command.addAll(
          List.of(
              "sh",
              "-c",
              "echo $$ > " + cgroup.directory().resolve("cgroup.procs") + " && exec \"$@\"",
              "sh"));
    }
    command.add(System.getProperty("exporter.launcher", "../bin/capability-exporter"));
    command.add("run");
    command.add("--web.listen-address=127.0.0.1:0");
    command.addAll(List.of(flags));
    Path log = dir.resolve("exporter.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    LaunchedExporter exporter = new LaunchedExporter(builder.start(), log);
    try {
      exporter.awaitServing();
      return exporter;
    } catch (AssertionError | RuntimeException e) {
      exporter.close();
      throw e;
    }
  }

  private void awaitServing() throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      Matcher matcher = SERVING.matcher(Files.readString(log));
      if (matcher.find()) {
        port = Integer.parseInt(matcher.group(1));
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the exporter exited " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no start-up line within 60 s:\n" + log());
  }

  public int port() {
    return port;
  }

  /** The JVM's pid (the launcher execs it). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The current exposition of /metrics. */
  public String metrics() throws Exception {
    return get("/metrics");
  }

  /** The body of {@code path}; fails unless it answers 200. */
  public String get(String path) throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(path + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** SIGTERM, then its exit status (0: it detached its program as asked). */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("the exporter did not stop within 20 s of SIGTERM:\n" + log());
    }
    return process.exitValue();
  }

  /** Sends SIGHUP: re-read the policy file. */
  public void hangup() throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + pid() + " failed");
    }
  }

  /** What it printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(20), killer);
  }
}
