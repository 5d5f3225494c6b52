package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A containerd of the test's own: its root, state, socket and runc state in one directory, the CRI
 * plugin off (no kubelet talks to it, and it would want CNI), one namespace. {@link #close} removes
 * every container, image and the namespace, stops the daemon and unmounts what is left under the
 * directory, so the host keeps nothing of it.
 */
final class Containerd implements AutoCloseable {
  private static final String INSTALL = "make e2e installs it (Debian: apt-get install containerd)";
  private static final Duration CTR_LIMIT = Duration.ofMinutes(3);

  private final Path dir;
  private final String namespace;
  private final Process daemon;

  private Containerd(Path dir, String namespace, Process daemon) {
    this.dir = dir;
    this.namespace = namespace;
    this.daemon = daemon;
  }

  /**
   * Starts containerd in {@code dir} (made if missing) and waits until it answers. It runs, with
   * its shims and the runc they start, in the cgroup {@code cgroup} (v2 directory; null: this
   * JVM's).
   */
  static Containerd start(Path dir, String namespace, Path cgroup) throws Exception {
    Files.createDirectories(dir);
    Path config =
        Files.writeString(
            dir.resolve("config.toml"),
            """
            version = 2
            root = "%1$s/root"
            state = "%1$s/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "%1$s/containerd.sock"
            [ttrpc]
              address = "%1$s/containerd.sock.ttrpc"
            [plugins."io.containerd.internal.v1.opt"]
              path = "%1$s/opt"
            """
                .formatted(dir));
    Process daemon;
    try {
      List<String> command = new ArrayList<>(ContainerEngine.inCgroup(cgroup));
      command.addAll(List.of("containerd", "--config", config.toString()));
      daemon =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("containerd.log").toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError("containerd is not installed: " + INSTALL, e);
    }
    Files.writeString(dir.resolve("containerd.pid"), daemon.pid() + "\n");
    Containerd containerd = new Containerd(dir, namespace, daemon);
    Instant deadline = Instant.now().plusSeconds(30);
    while (containerd.ctr(Duration.ofSeconds(10), "version").status() != 0) {
      if (!daemon.isAlive() || Instant.now().isAfter(deadline)) {
        containerd.close();
        throw new AssertionError("containerd did not start:\n" + containerd.log());
      }
      Thread.sleep(200);
    }
    return containerd;
  }

  /** The daemon's pid: its namespaces are the host's, the ones a kubelet's runtime has. */
  long pid() {
    return daemon.pid();
  }

  String namespace() {
    return namespace;
  }

  /** {@code ctr} with this daemon's socket and namespace, then {@code args}. */
  List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ctr", "--address", dir.resolve("containerd.sock").toString(), "-n", namespace));
    command.addAll(List.of(args));
    return command;
  }

  Command.Result ctr(Duration limit, String... args) throws IOException, InterruptedException {
    return Command.run(dir, limit, INSTALL, command(args));
  }

  /** As {@link #ctr(Duration, String...)}, failing the test unless it exits 0. */
  String ctrOk(String... args) throws IOException, InterruptedException {
    Command.Result result = ctr(CTR_LIMIT, args);
    assertThat(result.status()).as("ctr %s: %s", String.join(" ", args), result.output()).isZero();
    return result.stdout();
  }

  /**
   * The options of {@code ctr run} that keep runc's state and the I/O fifos in this directory
   * rather than under /run/containerd, where a containerd of the host's keeps its own.
   */
  List<String> runOptions() {
    return List.of(
        "--runc-root",
        dir.resolve("runc").toString(),
        "--fifo-dir",
        dir.resolve("fifo").toString());
  }

  /** Imports the images of a docker-archive ({@code podman save -m}) into the namespace. */
  void importImages(Path archive) throws IOException, InterruptedException {
    ctrOk("images", "import", archive.toString());
  }

  String log() {
    try {
      return Files.readString(dir.resolve("containerd.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        if (daemon.isAlive()) {
          removeEverything();
        }
      } finally {
        Processes.stop(daemon, Duration.ofSeconds(20), null);
        unmountUnder(dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping containerd", e);
    }
  }

  /** Tasks killed, then containers, images and the namespace removed. */
  private void removeEverything() throws IOException, InterruptedException {
    for (String id : list("containers", "list", "-q")) {
      ctr(CTR_LIMIT, "tasks", "kill", "--signal", "SIGKILL", id);
      ctr(CTR_LIMIT, "tasks", "delete", "--force", id);
      ctr(CTR_LIMIT, "containers", "delete", id);
    }
    for (String image : list("images", "list", "-q")) {
      ctr(CTR_LIMIT, "images", "remove", "--sync", image);
    }
    ctr(CTR_LIMIT, "namespaces", "remove", namespace);
  }

  private List<String> list(String... args) throws IOException, InterruptedException {
    return ctr(CTR_LIMIT, args).stdout().lines().filter(line -> !line.isBlank()).toList();
  }

  /** What a container's end left mounted under {@code dir} (a rootfs), deepest first. */
  static void unmountUnder(Path dir) throws IOException, InterruptedException {
    List<String> mounts;
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      mounts =
          lines
              .map(line -> line.split(" ")[4])
              .filter(point -> point.startsWith(dir + "/"))
              .sorted(Comparator.reverseOrder())
              .toList();
    }
    for (String point : mounts) {
      Command.run(
          Path.of("/"),
          Duration.ofSeconds(30),
          "umount is in util-linux's mount package",
          List.of("umount", "--lazy", point));
    }
  }
}
