package io.capabilityexporter.files;

import io.capabilityexporter.files.UntrustedFileException.Fault;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the exporter reads every file it did not write itself (the policy, profiles, Docker's
 * container configs, /proc): it runs as root, and a file in place of the one it expects must not
 * wedge it, exhaust its heap or make it open a device. So a file is read only if the path leads to
 * a regular file (symbolic links followed, as a Kubernetes ConfigMap's {@code ..data} link needs,
 * unless {@link #notFollowingLinks}), at most {@code maxBytes} of it, and within {@code timeout};
 * anything else is refused with an {@link UntrustedFileException} naming the file, the fault and
 * the fix:
 *
 * <pre>
 * policy file /etc/policy.yaml is a FIFO, not a regular file: point --config at a regular file
 * </pre>
 *
 * A missing or unreadable file is the usual {@link java.nio.file.NoSuchFileException} or {@link
 * java.nio.file.AccessDeniedException}.
 */
public final class UntrustedFile {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final Map<Integer, String> TYPES =
      Map.of(
          0010000, "a FIFO",
          0020000, "a character device",
          0040000, "a directory",
          0060000, "a block device",
          0120000, "a symbolic link",
          0140000, "a socket");

  private final String what;
  private final long maxBytes;
  private final Duration timeout;
  private final String fix;
  private final boolean followLinks;

  /**
   * @param what what the file is, for messages: {@code "policy file"}
   * @param fix what the user should do about a refused file: {@code "point --config at a regular
   *     file"}
   */
  public UntrustedFile(String what, long maxBytes, Duration timeout, String fix) {
    this(what, maxBytes, timeout, fix, true);
  }

  private UntrustedFile(
      String what, long maxBytes, Duration timeout, String fix, boolean followLinks) {
    this.what = what;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.fix = fix;
    this.followLinks = followLinks;
  }

  /** The same, refusing a symbolic link: where nothing legitimate puts one. */
  public UntrustedFile notFollowingLinks() {
    return new UntrustedFile(what, maxBytes, timeout, fix, false);
  }

  /** The whole file. */
  public byte[] read(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    }
  }

  /**
   * The file as a stream that fails once it has given more than {@code maxBytes} or has been open
   * longer than {@code timeout}: for large files read a line at a time, such as /proc/kallsyms.
   */
  public InputStream open(Path file) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (PathHandle handle = PathHandle.open(file, followLinks)) {
      Map<String, Object> attributes = Files.readAttributes(handle.proc(), "unix:mode,size");
      int type = (Integer) attributes.get("mode") & S_IFMT;
      if (type != S_IFREG) {
        throw refused(
            Fault.NOT_REGULAR,
            file,
            TYPES.getOrDefault(type, "of another type") + ", not a regular file");
      }
      // /proc files say 0 here, so the cap is also kept while reading.
      if ((Long) attributes.get("size") > maxBytes) {
        throw tooLarge(file);
      }
      // The pinned inode, opened for reading: what was checked is what is read.
      return new Bounded(Files.newInputStream(handle.proc()), file, deadline);
    }
  }

  private UntrustedFileException tooLarge(Path file) {
    return refused(Fault.TOO_LARGE, file, "larger than " + size(maxBytes));
  }

  private UntrustedFileException refused(Fault fault, Path file, String problem) {
    return new UntrustedFileException(
        fault, problem, what + " " + file + " is " + problem + ": " + fix);
  }

  /** {@code 16 MiB}, {@code 64 KiB}, {@code 100 bytes}. */
  static String size(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }

  /** {@code 5 s}, {@code 250 ms}. */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** Counts what is read and checks the clock between reads. */
  private final class Bounded extends FilterInputStream {
    private final Path file;
    private final long deadline;
    private long read;

    Bounded(InputStream in, Path file, long deadline) {
      super(in);
      this.file = file;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (System.nanoTime() - deadline > 0) {
        throw refused(
            Fault.TOO_SLOW, file, "too slow to read (more than " + duration(timeout) + ")");
      }
      // One byte past the cap is enough to know the file is too large.
      int n = in.read(buffer, offset, (int) Math.min(length, maxBytes + 1 - read));
      if (n > 0) {
        read += n;
        if (read > maxBytes) {
          throw tooLarge(file);
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, maxBytes + 1 - read));
      read += skipped;
      if (read > maxBytes) {
        throw tooLarge(file);
      }
      return skipped;
    }
  }
}
