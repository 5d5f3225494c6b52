package io.capabilityexporter.webconfig;

import io.capabilityexporter.files.UntrustedFile;
import io.capabilityexporter.files.UntrustedFileException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the web config, or a file it names, as every untrusted file is read ({@link
 * UntrustedFile}), with the fault told in the web config's own words: {@code web.yml:2:
 * tls_server_config.cert_file: /etc/tls/tls.crt: a FIFO, not a regular file: name a regular file of
 * at most 1 MiB}.
 */
final class BoundedRead {
  /** Certificates, keys and web configs are kilobytes; a megabyte is generous. */
  static final int MAX_BYTES = 1 << 20;

  private static final String FIX = "name a regular file of at most 1 MiB";
  private static final UntrustedFile FILE =
      new UntrustedFile("web config file", MAX_BYTES, Duration.ofSeconds(5), FIX);

  private BoundedRead() {}

  /**
   * @param what how to name the file in messages: {@code web.yml} or {@code
   *     tls_server_config.cert_file /etc/tls/tls.crt}
   */
  static byte[] read(Path file, String what) throws WebConfigException {
    try {
      return FILE.read(file);
    } catch (UntrustedFileException e) {
      throw new WebConfigException(what + ": " + e.problem() + ": " + FIX);
    } catch (NoSuchFileException e) {
      throw new WebConfigException(what + ": no such file");
    } catch (AccessDeniedException e) {
      throw new WebConfigException(what + ": permission denied");
    } catch (IOException e) {
      throw new WebConfigException(what + ": cannot read: " + e.getMessage());
    }
  }
}
