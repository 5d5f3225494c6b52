package io.capabilityexporter.files;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file pinned by {@code open(O_PATH)}: the inode a path named at that moment, which later renames
 * cannot change. Opening with O_PATH neither blocks on a FIFO nor opens a device (no side effect of
 * a driver's open, such as arming a watchdog), so the type can be checked before anything is read,
 * without a window between the check and the open. {@link #proc()} reaches the same inode.
 */
final class PathHandle implements AutoCloseable {
  private static final int O_PATH = 010000000;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int ENOTDIR = 20;

  private interface CLib extends Library {
    int open(byte[] path, int flags);

    int close(int fd);
  }

  private static final CLib C = Native.load("c", CLib.class);

  /** The charset the JVM names files in, so the bytes are those Java's own open would use. */
  private static final Charset PATH_CHARSET = pathCharset();

  private final int fd;

  private PathHandle(int fd) {
    this.fd = fd;
  }

  /**
   * @param followLinks false: a symbolic link is pinned itself, not what it points to
   */
  static PathHandle open(Path path, boolean followLinks) throws IOException {
    byte[] name = (path.toString() + '\0').getBytes(PATH_CHARSET);
    int fd = C.open(name, O_PATH | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW));
    if (fd < 0) {
      int errno = Native.getLastError();
      String file = path.toString();
      throw switch (errno) {
        case ENOENT, ENOTDIR -> new NoSuchFileException(file);
        case EACCES, EPERM -> new AccessDeniedException(file);
        default -> new FileSystemException(file, null, "errno " + errno);
      };
    }
    return new PathHandle(fd);
  }

  private static Charset pathCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding"));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /** {@code /proc/self/fd/N}: stat and open it to reach the pinned inode itself. */
  Path proc() {
    return Path.of("/proc/self/fd/" + fd);
  }

  @Override
  public void close() {
    C.close(fd);
  }
}
