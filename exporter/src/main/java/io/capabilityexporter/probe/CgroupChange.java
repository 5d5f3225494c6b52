package io.capabilityexporter.probe;

import io.capabilityexporter.files.FileNames;
import java.nio.ByteBuffer;

/**
 * Mirror of {@code struct cgroup_event} in bpf/capable.h: a cgroup of the v2 hierarchy the kernel
 * made or released, with its path relative to the hierarchy's root ("/kubepods/pod.../abc"), as
 * {@link FileNames#text} writes names that are not UTF-8. Decoded defensively: the bytes come from
 * a ring buffer.
 */
public record CgroupChange(long cgroupId, boolean released, String path) {
  static final int HEADER = 16;
  static final int PATH_MAX = 1024;
  private static final int MADE = 1;
  private static final int RELEASED = 2;

  /** Null when the bytes cannot be a change (the caller counts and skips it). */
  static CgroupChange decode(ByteBuffer bytes) {
    int size = bytes.remaining();
    if (size <= HEADER || size > HEADER + PATH_MAX) {
      return null;
    }
    int start = bytes.position();
    long id = bytes.getLong(start);
    int change = bytes.getInt(start + 8);
    int length = bytes.getInt(start + 12);
    if ((change != MADE && change != RELEASED) || length < 1 || HEADER + length != size) {
      return null;
    }
    if (bytes.get(start + HEADER + length - 1) != 0) {
      return null;
    }
    byte[] path = new byte[length - 1];
    bytes.get(start + HEADER, path);
    return new CgroupChange(id, change == RELEASED, FileNames.text(path));
  }
}
