package io.capabilityexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.attribution.Cgroup2Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** A real cgroup v2 directory of the test's own, removed on close. */
public final class TestCgroup implements AutoCloseable {
  private final Path directory;
  private final Path top;
  private final long id;

  private TestCgroup(Path directory, Path top) throws IOException {
    this.directory = directory;
    this.top = top;
    this.id = ((Number) Files.getAttribute(directory, "unix:ino")).longValue();
  }

  public static TestCgroup create(String prefix) throws IOException {
    KernelTests.requireRoot();
    Path root =
        Cgroup2Mount.find(Path.of("/proc/mounts"))
            .orElseThrow(() -> new IllegalStateException("no cgroup2 mount in /proc/mounts"));
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path directory = Files.createDirectory(root.resolve(name));
    return new TestCgroup(directory, directory);
  }

  /**
   * A cgroup at {@code path} (relative, e.g. kubelet's {@code kubepods/besteffort/pod<uid>/<id>})
   * under a new top-level cgroup {@code prefix-XXXXXXXX} of its own; close removes the whole chain.
   */
  public static TestCgroup nested(String prefix, String path) throws IOException {
    TestCgroup top = create(prefix);
    Path directory = Files.createDirectories(top.directory.resolve(path));
    return new TestCgroup(directory, top.directory);
  }

  /** The cgroup id the kernel reports for tasks in it: the directory's inode number. */
  public long id() {
    return id;
  }

  public Path directory() {
    return directory;
  }

  /** Runs {@code script} with sh in this cgroup, and asserts it exits 0. */
  public void run(String script) throws IOException, InterruptedException {
    run(null, script);
  }

  /** As {@link #run(String)}, in {@code dir}. */
  public void run(Path dir, String script) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                "sh", "-c", "echo $$ > " + directory.resolve("cgroup.procs") + " && " + script)
            .redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process process = builder.start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(script).isTrue();
    assertThat(process.exitValue()).as(script + ": " + output).isZero();
  }

  /** The {@code container} label the host attribution gives a plain cgroup: its path. */
  public String label() {
    return "/" + directory.getFileName();
  }

  @Override
  public void close() throws IOException {
    for (Path dir = directory; dir.startsWith(top); dir = dir.getParent()) {
      delete(dir);
    }
  }

  private static void delete(Path directory) throws IOException {
    // The processes in it have exited; rmdir succeeds once the kernel has let them go, which on
    // a loaded machine can take seconds (EBUSY until then): up to 20 s.
    for (int attempt = 0; attempt < 1000; attempt++) {
      try {
        Files.delete(directory);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    assertThat(directory).doesNotExist();
  }
}
