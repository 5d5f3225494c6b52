package io.capabilityexporter.probe;

import io.capabilityexporter.files.FileNames;
import java.nio.ByteBuffer;

/**
 * Mirror of {@code struct cgroup_event} in bpf/capable.h: a cgroup of the v2 hierarchy the kernel
 * made or released, with its path relative to the hierarchy's root ("/kubepods/pod.../abc"), as
 * {@link FileNames#text} writes names that are not UTF-8; or one a container runtime entered for an
 * exec (no path). Decoded defensively: the bytes come from a ring buffer.
 */
public record CgroupChange(long cgroupId, Kind kind, String path) {
  static final int HEADER = 16;
  static final int PATH_MAX = 1024;

  /** {@code enum cgroup_change}, from 1. */
  public enum Kind {
    MADE,
    RELEASED,
    ENTERED
  }

  public boolean released() {
    return kind == Kind.RELEASED;
  }

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
    if (change < 1 || change > Kind.values().length || length < 1 || HEADER + length != size) {
      return null;
    }
    if (bytes.get(start + HEADER + length - 1) != 0) {
      return null;
    }
    byte[] path = new byte[length - 1];
    bytes.get(start + HEADER, path);
    return new CgroupChange(id, Kind.values()[change - 1], FileNames.text(path));
  }
}
