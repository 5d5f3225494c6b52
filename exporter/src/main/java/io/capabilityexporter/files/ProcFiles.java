package io.capabilityexporter.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The small /proc files the exporter reads: a process's status, a descriptor's fdinfo, the host
 * name. The kernel writes them, but a container may see another /proc than the kernel's.
 */
public final class ProcFiles {
  private static final UntrustedFile SMALL =
      new UntrustedFile("/proc file", 64 << 10, Duration.ofSeconds(5), "mount procfs at /proc");

  private static final Path HOST_NAME = Path.of("/proc/sys/kernel/hostname");

  private ProcFiles() {}

  /** The whole file, as text (the kernel writes these in ASCII; anything else is replaced). */
  public static String read(Path file) throws IOException {
    return new String(SMALL.read(file), StandardCharsets.UTF_8);
  }

  /** The kernel's host name; empty where it cannot be read or is blank. */
  public static Optional<String> hostName() {
    try {
      return Optional.of(read(HOST_NAME).strip()).filter(name -> !name.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
