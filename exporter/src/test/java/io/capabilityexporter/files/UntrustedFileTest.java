package io.capabilityexporter.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.capabilityexporter.files.UntrustedFileException.Fault;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntrustedFileTest {
  private static final UntrustedFile POLICY =
      new UntrustedFile(
          "policy file", 1 << 10, Duration.ofSeconds(5), "point --config at a regular file");

  @TempDir Path dir;

  private static Path fifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    return path;
  }

  /** Fails the test instead of hanging the build when a read blocks. */
  private static void refusedPromptly(
      UntrustedFile reader, Path file, Fault fault, String message) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> reader.read(file))
                .isInstanceOfSatisfying(
                    UntrustedFileException.class, e -> assertThat(e.fault()).isEqualTo(fault))
                .hasMessage(message));
  }

  @Test
  void reads_a_regular_file() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");

    assertThat(POLICY.read(file)).asString(StandardCharsets.UTF_8).isEqualTo("rules: []\n");
  }

  @Test
  void reads_a_file_of_exactly_the_cap() throws Exception {
    Path file = Files.write(dir.resolve("policy.yaml"), new byte[1 << 10]);

    assertThat(POLICY.read(file)).hasSize(1 << 10);
  }

  @Test
  void follows_a_symlink_to_a_regular_file_as_a_configmap_mount_has() throws Exception {
    Path data = Files.createDirectory(dir.resolve("..2026_01_01"));
    Files.writeString(data.resolve("policy.yaml"), "rules: []\n");
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("policy.yaml"), Path.of("..data/policy.yaml"));

    assertThat(POLICY.read(file)).asString(StandardCharsets.UTF_8).isEqualTo("rules: []\n");
  }

  @Test
  void refuses_a_fifo_without_blocking() throws Exception {
    Path file = fifo(dir.resolve("policy.yaml"));

    refusedPromptly(
        POLICY,
        file,
        Fault.NOT_REGULAR,
        "policy file " + file + " is a FIFO, not a regular file: point --config at a regular file");
  }

  @Test
  void refuses_a_symlink_to_a_fifo() throws Exception {
    Path fifo = fifo(dir.resolve("pipe"));
    Path file = Files.createSymbolicLink(dir.resolve("policy.yaml"), fifo);

    refusedPromptly(
        POLICY,
        file,
        Fault.NOT_REGULAR,
        "policy file " + file + " is a FIFO, not a regular file: point --config at a regular file");
  }

  @Test
  void refuses_a_directory() throws Exception {
    Path file = Files.createDirectory(dir.resolve("policy.yaml"));

    refusedPromptly(
        POLICY,
        file,
        Fault.NOT_REGULAR,
        "policy file "
            + file
            + " is a directory, not a regular file: point --config at a regular file");
  }

  @Test
  void refuses_a_character_device_without_reading_it() {
    Path zero = Path.of("/dev/zero");

    refusedPromptly(
        POLICY,
        zero,
        Fault.NOT_REGULAR,
        "policy file /dev/zero is a character device, not a regular file: point --config at a"
            + " regular file");
  }

  @Test
  void refuses_a_larger_file_unread() throws Exception {
    Path file = dir.resolve("policy.yaml");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(200L << 20); // 200 MiB that take no disk
    }

    refusedPromptly(
        POLICY,
        file,
        Fault.TOO_LARGE,
        "policy file " + file + " is larger than 1 KiB: point --config at a regular file");
  }

  @Test
  void refuses_a_file_that_says_it_is_empty_and_is_not() {
    // /proc files say 0 bytes: the cap holds while reading.
    UntrustedFile tiny = new UntrustedFile("status", 16, Duration.ofSeconds(5), "none");

    refusedPromptly(
        tiny,
        Path.of("/proc/self/status"),
        Fault.TOO_LARGE,
        "status /proc/self/status is larger than 16 bytes: none");
  }

  @Test
  void refuses_a_file_that_takes_too_long() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), "rules: []\n");
    UntrustedFile impatient =
        new UntrustedFile("policy file", 1 << 10, Duration.ZERO, "point --config at a faster disk");

    refusedPromptly(
        impatient,
        file,
        Fault.TOO_SLOW,
        "policy file "
            + file
            + " is too slow to read (more than 0 s): point --config at a faster disk");
  }

  @Test
  void refuses_a_symlink_where_links_are_not_followed() throws Exception {
    Path target = Files.writeString(dir.resolve("elsewhere.json"), "{}");
    Path file = Files.createSymbolicLink(dir.resolve("profiles.json"), target);

    refusedPromptly(
        POLICY.notFollowingLinks(),
        file,
        Fault.NOT_REGULAR,
        "policy file "
            + file
            + " is a symbolic link, not a regular file: point --config at a regular file");
  }

  @Test
  void a_missing_file_is_no_such_file() {
    assertThatThrownBy(() -> POLICY.read(dir.resolve("nope.yaml")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void streams_a_large_proc_file_a_line_at_a_time() throws Exception {
    UntrustedFile kallsyms =
        new UntrustedFile("kernel symbols", 256L << 20, Duration.ofSeconds(30), "none");
    long lines;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                kallsyms.open(Path.of("/proc/kallsyms")), StandardCharsets.US_ASCII))) {
      lines = reader.lines().count();
    }

    assertThat(lines).isGreaterThan(1000);
  }
}
