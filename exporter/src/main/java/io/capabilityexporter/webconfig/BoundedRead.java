package io.capabilityexporter.webconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a file named by the web config, or the web config itself, as untrusted input: a regular
 * file only (a FIFO or a device would block or never end), at most {@link #MAX_BYTES}, within
 * {@link #TIMEOUT}. A read that does not finish in time (a FIFO swapped in after the check, a hung
 * network file system) is abandoned on its daemon thread rather than waited for.
 */
final class BoundedRead {
  /** Certificates, keys and web configs are kilobytes; a megabyte is generous. */
  static final int MAX_BYTES = 1 << 20;

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private BoundedRead() {}

  /**
   * @param what how to name the file in messages: {@code web.yml} or {@code
   *     tls_server_config.cert_file /etc/tls/tls.crt}
   */
  static byte[] read(Path file, String what) throws WebConfigException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new WebConfigException(what + ": no such file");
    } catch (IOException e) {
      throw new WebConfigException(what + ": cannot read: " + e.getMessage());
    }
    if (!attributes.isRegularFile()) {
      throw new WebConfigException(
          what + ": not a regular file (a directory, FIFO or device): name a regular file");
    }
    if (attributes.size() > MAX_BYTES) {
      throw new WebConfigException(what + ": larger than 1 MiB: is this the right file?");
    }
    FutureTask<byte[]> reading = new FutureTask<>(() -> readAtMost(file));
    Thread reader = new Thread(reading, "web-config-read");
    reader.setDaemon(true);
    reader.start();
    try {
      byte[] bytes = reading.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (bytes.length > MAX_BYTES) {
        throw new WebConfigException(what + ": larger than 1 MiB: is this the right file?");
      }
      return bytes;
    } catch (TimeoutException e) {
      reading.cancel(true);
      throw new WebConfigException(
          what
              + ": not read within "
              + TIMEOUT.toSeconds()
              + " s (a FIFO, or a file system that hangs?): name a regular file on a local file"
              + " system");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AccessDeniedException) {
        throw new WebConfigException(what + ": permission denied");
      }
      if (cause instanceof NoSuchFileException) {
        throw new WebConfigException(what + ": no such file");
      }
      throw new WebConfigException(what + ": cannot read: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WebConfigException(what + ": interrupted while reading");
    }
  }

  private static byte[] readAtMost(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_BYTES + 1);
    }
  }
}
