package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * The kernel's {@code cgroup_counts} array (struct cgroup_block in bpf/capable.h), read and freed
 * through its memory mapping: a scrape copies nothing and makes no system call for it.
 *
 * <p>A slot's first word says who holds it: 0 (free), a cgroup id, or an id with {@link #DEPARTED}
 * set once the kernel released that cgroup. Only user space frees a departed slot, after reading
 * it: the kernel never writes to one, so zeroing it here races with nothing.
 */
final class CgroupBlocks {
  static final long DEPARTED = 1L << 63;
  static final int BLOCK_CAPS = 48;
  static final int COUNTERS = BLOCK_CAPS * 2 * 3;
  static final int BLOCK_SIZE = Long.BYTES * (1 + COUNTERS);

  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private interface CLib extends Library {
    Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset);

    int munmap(Pointer address, long length);
  }

  private static final CLib C = Native.load("c", CLib.class);

  private final Pointer mapping;
  private final long length;
  private final ByteBuffer blocks;
  private final int slots;

  CgroupBlocks(int fd, int slots) throws ProbeException {
    this.slots = slots;
    long bytes = (long) BLOCK_SIZE * slots;
    int page = 4096;
    this.length = (bytes + page - 1) / page * page;
    this.mapping = C.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (mapping == null || Pointer.nativeValue(mapping) == -1L) {
      throw new ProbeException("cannot map the cgroup_counts array: " + Errno.describe());
    }
    this.blocks = mapping.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
  }

  /**
   * Adds every non-zero counter to {@code out}; the ids of departed holders to {@code departed}.
   * Returns how many slots are held.
   */
  synchronized int read(List<Count> out, Set<Long> departed) {
    int held = 0;
    for (int slot = 0; slot < slots; slot++) {
      int base = slot * BLOCK_SIZE;
      long holder = (long) LONGS.getAcquire(blocks, base);
      if (holder == 0) {
        continue;
      }
      held++;
      long cgroupId = holder & ~DEPARTED;
      if ((holder & DEPARTED) != 0) {
        departed.add(cgroupId);
      }
      for (int index = 0; index < COUNTERS; index++) {
        long total = (long) LONGS.getOpaque(blocks, base + Long.BYTES * (1 + index));
        if (total != 0) {
          out.add(new Count(key(cgroupId, index), total));
        }
      }
    }
    return held;
  }

  /** Frees the slot of a departed cgroup, whose counts have been read: zeroes first, then frees. */
  synchronized void free(long cgroupId) {
    int base = (int) Long.remainderUnsigned(cgroupId, slots) * BLOCK_SIZE;
    if ((long) LONGS.getAcquire(blocks, base) != (cgroupId | DEPARTED)) {
      return;
    }
    for (int index = 0; index < COUNTERS; index++) {
      LONGS.setOpaque(blocks, base + Long.BYTES * (1 + index), 0L);
    }
    LONGS.setRelease(blocks, base, 0L);
  }

  /** The (capability, verdict, audit) of a counter: COUNTER_INDEX in capable.h, inverted. */
  static CountKey key(long cgroupId, int index) {
    int audit = index % 3;
    int verdict = (index / 3) % 2;
    int cap = index / 6;
    return new CountKey(cgroupId, cap, verdict == 1, CountKey.flag(audit));
  }

  void close() {
    C.munmap(mapping, length);
  }
}
