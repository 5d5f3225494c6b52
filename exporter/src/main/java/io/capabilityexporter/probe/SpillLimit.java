package io.capabilityexporter.probe;

import com.sun.jna.Memory;

/**
 * The bound the program keeps on the spill hash ({@code counts_used} in bpf/capable.bpf.c): the
 * kernel's own lets a map hold more than max_entries when inserts race. User space alone writes the
 * most entries the program may ever have added, the capacity plus each entry deleted since.
 */
final class SpillLimit {
  private static final int ADDED_INDEX = 0;
  private static final int LIMIT_INDEX = 1;

  private final Libbpf libbpf;
  private final int fd;
  private final Memory key = new Memory(Integer.BYTES);
  private final Memory value = new Memory(Long.BYTES);
  private final Memory addedKey = new Memory(Integer.BYTES);
  private final Memory added = new Memory(Long.BYTES);
  private final int capacity;
  private long limit;

  /** Sets the limit to {@code capacity}: before attach, so the first insert already keeps it. */
  SpillLimit(Libbpf libbpf, int fd, int capacity) throws ProbeException {
    this.libbpf = libbpf;
    this.fd = fd;
    this.capacity = capacity;
    this.limit = capacity;
    key.setInt(0, LIMIT_INDEX);
    addedKey.setInt(0, ADDED_INDEX);
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

  /**
   * The share of the spill hash in use now, from 0 to 1 (one lookup: the entries the program added,
   * less those deleted since); 0 if it cannot be read.
   */
  synchronized double fill() {
    if (libbpf.bpf_map_lookup_elem(fd, addedKey, added) != 0) {
      return 0;
    }
    long inUse = added.getLong(0) - (limit - capacity);
    return Math.max(0, Math.min(1, (double) inUse / capacity));
  }

  private int write() {
    value.setLong(0, limit);
    return libbpf.bpf_map_update_elem(fd, key, value, 0);
  }
}
