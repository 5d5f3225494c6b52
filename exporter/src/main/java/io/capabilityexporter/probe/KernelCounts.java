package io.capabilityexporter.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The kernel's counts, read: each cgroup's block of counters ({@code cgroup_counts}), what spilled
 * into the hash ({@code counts}) when a cgroup found its slot taken, and what neither could take
 * ({@code counts_overflow}); and the books of the spill, so that a cgroup gone is forgotten
 * exactly.
 */
final class KernelCounts implements AutoCloseable {
  private final CgroupBlocks blocks;
  private final PerCpuMap counts;
  private final PerCpuMap overflow;
  private final SpillLimit spillLimit;
  private final LongSupplier mapFull;
  private final int countsCapacity;

  /** Spill keys of each cgroup at the last read, so {@link #forget} deletes exactly those. */
  private final Map<Long, List<CountKey>> spilled = new HashMap<>();

  /**
   * @param mapFull checks turned away by a full spill hash so far ({@link Stat#COUNTS_MAP_FULL}):
   *     until there is one, the overflow array is not read
   */
  KernelCounts(
      BpfObject object, Libbpf libbpf, int cpus, SpillLimit spillLimit, LongSupplier mapFull)
      throws ProbeException {
    this.spillLimit = spillLimit;
    this.mapFull = mapFull;
    this.countsCapacity = object.mapCapacity("counts");
    this.counts = new PerCpuMap(libbpf, object.mapFd("counts"), CountKey.SIZE, cpus);
    this.overflow = new PerCpuMap(libbpf, object.mapFd("counts_overflow"), Integer.BYTES, cpus);
    // Last: it maps the blocks' memory.
    this.blocks =
        new CgroupBlocks(object.mapFd("cgroup_counts"), object.mapCapacity("cgroup_counts"));
  }

  /** {@link Probe#readCounts}: the blocks and the spill summed per key, and the overflow. */
  synchronized Counts read() throws ProbeException {
    List<Count> fromBlocks = new ArrayList<>();
    Set<Long> departed = new HashSet<>();
    int slotsHeld = blocks.read(fromBlocks, departed);
    List<Count> fromSpill =
        counts.readAll((keys, offset, total) -> new Count(CountKey.read(keys, offset), total));
    spilled.clear();
    Map<CountKey, Long> totals = new HashMap<>(fromBlocks.size() * 2);
    for (Count count : fromBlocks) {
      totals.merge(count.key(), count.total(), Long::sum);
    }
    for (Count count : fromSpill) {
      totals.merge(count.key(), count.total(), Long::sum);
      spilled.computeIfAbsent(count.key().cgroupId(), id -> new ArrayList<>()).add(count.key());
    }
    List<Count> result = new ArrayList<>(totals.size() + 8);
    totals.forEach((key, total) -> result.add(new Count(key, total)));
    if (mapFull.getAsLong() > 0) {
      for (Count count :
          overflow.readAll(
              (keys, offset, total) -> new Count(overflowKey(keys.getInt(offset)), total))) {
        if (count.total() > 0) {
          result.add(count);
        }
      }
    }
    return new Counts(result, departed, slotsHeld, fromSpill.size());
  }

  private static CountKey overflowKey(int index) {
    return CgroupBlocks.key(CountKey.NO_CGROUP, index);
  }

  /** {@link Probe#forget}: frees the cgroup's departed block and deletes its spill keys. */
  synchronized void forget(long cgroupId) {
    blocks.free(cgroupId);
    List<CountKey> keys = spilled.remove(cgroupId);
    if (keys == null) {
      return;
    }
    ByteBuffer buffer = ByteBuffer.allocate(CountKey.SIZE).order(ByteOrder.nativeOrder());
    int deleted = 0;
    for (CountKey key : keys) {
      buffer.clear();
      key.write(buffer);
      if (counts.delete(buffer)) {
        deleted++;
      }
    }
    spillLimit.deleted(deleted);
  }

  int countsCapacity() {
    return countsCapacity;
  }

  /** The share of the kernel's spill hash in use now, from 0 to 1: one map lookup. */
  double spillFill() {
    return spillLimit.fill();
  }

  @Override
  public void close() {
    blocks.close();
  }
}
