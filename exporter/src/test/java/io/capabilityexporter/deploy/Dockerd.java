package io.capabilityexporter.deploy;

import io.capabilityexporter.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Docker daemon of the test's own (Debian's docker.io): its data, state, pid file and socket in
 * one directory, no configuration file of the host's, no bridge, no iptables rules, no proxy, and
 * its containers' cgroups under the cgroup {@code cgroupParent}. {@link #close} removes every
 * container and image, stops it (its containerd with it) and unmounts what is left.
 */
final class Dockerd extends ContainerEngine implements AutoCloseable {
  // Debian's client, of the daemon's own version: not whichever docker comes first on the PATH.
  private static final String CLIENT = "/usr/bin/docker";

  private final Path dir;
  private final Process daemon;

  private Dockerd(Path dir, Process daemon) {
    this.dir = dir;
    this.daemon = daemon;
  }

  /**
   * @param cgroup the cgroup (v2 directory) the daemon runs in, with its containerd and shims
   */
  static Dockerd start(Path dir, String cgroupParent, Path cgroup) throws Exception {
    Files.createDirectories(dir);
    Path config = Files.writeString(dir.resolve("daemon.json"), "{}\n");
    Process daemon;
    List<String> command = new ArrayList<>(ContainerEngine.inCgroup(cgroup));
    command.addAll(
        List.of(
            "dockerd",
            "--config-file=" + config,
            "--data-root=" + dir.resolve("data"),
            "--exec-root=" + dir.resolve("exec"),
            "--pidfile=" + dir.resolve("docker.pid"),
            "--host=unix://" + dir.resolve("docker.sock"),
            "--bridge=none",
            "--iptables=false",
            "--ip6tables=false",
            "--ip-masq=false",
            "--userland-proxy=false",
            "--cgroup-parent=" + cgroupParent));
    try {
      daemon =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("dockerd.log").toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError("dockerd is not installed: make e2e installs docker.io", e);
    }
    Dockerd dockerd = new Dockerd(dir, daemon);
    Instant deadline = Instant.now().plusSeconds(60);
    while (dockerd.run(List.of("version")).status() != 0) {
      if (!daemon.isAlive() || Instant.now().isAfter(deadline)) {
        dockerd.close();
        throw new AssertionError("dockerd did not start:\n" + dockerd.log());
      }
      Thread.sleep(200);
    }
    return dockerd;
  }

  @Override
  List<String> cli() {
    return List.of(CLIENT, "--host=unix://" + dir.resolve("docker.sock"));
  }

  @Override
  String install() {
    return "make e2e installs it (Debian: apt-get install docker.io)";
  }

  /** Where the daemon keeps each container's config.v2.json (with its name). */
  Path containers() {
    return dir.resolve("data/containers");
  }

  String log() {
    try {
      return Files.readString(dir.resolve("dockerd.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        if (daemon.isAlive()) {
          for (String id : lines("ps", "-aq")) {
            run(List.of("rm", "-f", "-v", id));
          }
          for (String id : lines("images", "-aq")) {
            run(List.of("rmi", "-f", id));
          }
        }
      } finally {
        Processes.stop(daemon, Duration.ofSeconds(30), null); // it stops its containerd too
        Containerd.unmountUnder(dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping dockerd", e);
    }
  }

  private List<String> lines(String... args) throws IOException, InterruptedException {
    return run(List.of(args)).stdout().lines().filter(line -> !line.isBlank()).distinct().toList();
  }
}
