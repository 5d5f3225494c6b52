package io.capabilityexporter.probe;

import com.sun.jna.Memory;

/**
 * The bound the program keeps on the spill hash ({@code counts_used} in bpf/capable.bpf.c): the
 * kernel's own lets a map hold more than max_entries when inserts race. User space alone writes the
 * most entries the program may ever have added, the capacity plus each entry deleted since.
 */
final class SpillLimit {
  private static final int LIMIT_INDEX = 1;

  private final Libbpf libbpf;
  private final int fd;
  private final Memory key = new Memory(Integer.BYTES);
  private final Memory value = new Memory(Long.BYTES);
  private long limit;

  /** Sets the limit to {@code capacity}: before attach, so the first insert already keeps it. */
  SpillLimit(Libbpf libbpf, int fd, int capacity) throws ProbeException {
    this.libbpf = libbpf;
    this.fd = fd;
    this.limit = capacity;
    key.setInt(0, LIMIT_INDEX);
    int result = write();
    if (result < 0) {
      throw new ProbeException(
          "cannot set the bound of the counts map: " + Errno.describe(-result));
    }
  }

  /** {@code entries} were deleted from the spill hash: as many may be added again. */
  synchronized void deleted(int entries) {
    if (entries > 0) {
      limit += entries;
      write();
    }
  }

  private int write() {
    value.setLong(0, limit);
    return libbpf.bpf_map_update_elem(fd, key, value, 0);
  }
}
