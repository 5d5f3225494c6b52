package io.capabilityexporter.attribution;

import io.capabilityexporter.files.UntrustedFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds where the cgroup v2 hierarchy is mounted. It is not always /sys/fs/cgroup: hybrid hosts
 * mount it at /sys/fs/cgroup/unified next to the v1 controllers, so we read the mount table.
 */
public final class Cgroup2Mount {

  /** A few hundred KiB on a busy node; a cap keeps a broken proc from hurting. */
  private static final UntrustedFile MOUNTS =
      new UntrustedFile("mount table", 16 << 20, Duration.ofSeconds(10), "mount procfs at /proc");

  private Cgroup2Mount() {}

  /**
   * The first mount of type {@code cgroup2} in a file in /proc/mounts format, or empty if there is
   * none. Malformed lines are skipped.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Optional<Path> find(Path procMounts) {
    byte[] bytes;
    try {
      bytes = MOUNTS.read(procMounts);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + procMounts, e);
    }
    // ISO-8859-1 maps each byte to one char, so escapes can be decoded back into raw bytes.
    return parse(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  static Optional<Path> parse(String mounts) {
    for (String line : mounts.split("\n", -1)) {
      String[] fields = line.split(" ", -1);
      if (fields.length < 3 || !fields[2].equals("cgroup2")) {
        continue;
      }
      Optional<Path> mountPoint = toPath(unescape(fields[1]));
      if (mountPoint.isPresent()) {
        return mountPoint;
      }
    }
    return Optional.empty();
  }

  /**
   * The kernel writes space, tab, newline and backslash in mount paths as three-digit octal escapes
   * (\040). Anything that is not a valid escape is kept as it is.
   */
  static String unescape(String field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctalEscape(field, i + 1)) {
        out.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.write(c & 0xff);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctalEscape(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      char d = s.charAt(i);
      if (d < '0' || d > '7') {
        return false;
      }
    }
    return s.charAt(from) <= '3'; // \377 is the largest byte
  }

  private static Optional<Path> toPath(String mountPoint) {
    if (!mountPoint.startsWith("/")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(mountPoint));
    } catch (InvalidPathException e) { // e.g. an escaped NUL
      return Optional.empty();
    }
  }
}
