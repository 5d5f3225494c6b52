package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a per-CPU BPF map of u64 values, summing each entry over the CPUs. Hash maps are read with
 * BPF_MAP_LOOKUP_BATCH, a chunk of entries per system call (Linux 5.6+).
 */
final class PerCpuMap {
  private static final int ENOENT = 2;
  private static final int CHUNK = 1024;

  private final Libbpf libbpf;
  private final int fd;
  private final int keySize;
  private final int cpus;
  private final Memory keys;
  private final Memory values;
  private final Memory batch = new Memory(Long.BYTES * 2);
  private final Memory oneKey;
  private final Memory oneValue;

  PerCpuMap(Libbpf libbpf, int fd, int keySize, int cpus) {
    this.libbpf = libbpf;
    this.fd = fd;
    this.keySize = keySize;
    this.cpus = cpus;
    this.keys = new Memory((long) CHUNK * keySize);
    this.values = new Memory((long) CHUNK * Long.BYTES * cpus);
    this.oneKey = new Memory(keySize);
    this.oneValue = new Memory((long) Long.BYTES * cpus);
  }

  /** Turns one entry, its key bytes and its total over the CPUs, into a value. */
  interface EntryDecoder<T> {
    T decode(ByteBuffer keys, int keyOffset, long total);
  }

  /**
   * Every entry of a hash map. The decoder reads each key in place, from a buffer in native byte
   * order that is reused by the next chunk: a scrape of 10,000 entries copies nothing it keeps.
   */
  synchronized <T> List<T> readAll(EntryDecoder<T> decoder) throws ProbeException {
    List<T> entries = new ArrayList<>();
    IntByReference count = new IntByReference();
    boolean first = true;
    while (true) {
      count.setValue(CHUNK);
      int result =
          libbpf.bpf_map_lookup_batch(fd, first ? null : batch, batch, keys, values, count, null);
      first = false;
      if (result < 0 && -result != ENOENT) {
        throw new ProbeException("cannot read a kernel map: " + Errno.describe(-result));
      }
      int read = Math.min(count.getValue(), CHUNK);
      ByteBuffer keyBytes =
          keys.getByteBuffer(0, (long) read * keySize).order(ByteOrder.nativeOrder());
      for (int i = 0; i < read; i++) {
        entries.add(
            decoder.decode(keyBytes, i * keySize, sum(values, (long) i * Long.BYTES * cpus)));
      }
      if (result < 0) {
        return entries; // ENOENT: the last chunk has been read
      }
    }
  }

  /** The total of one entry over the CPUs, 0 when absent. */
  synchronized long lookup(ByteBuffer key) {
    oneKey.write(0, key.array(), 0, keySize);
    if (libbpf.bpf_map_lookup_elem(fd, oneKey, oneValue) < 0) {
      return 0;
    }
    return sum(oneValue, 0);
  }

  /** 0 when the kernel answers a lookup of {@code key}, else the errno value of its refusal. */
  synchronized int tryLookup(ByteBuffer key) {
    oneKey.write(0, key.array(), 0, keySize);
    int result = libbpf.bpf_map_lookup_elem(fd, oneKey, oneValue);
    return result < 0 ? -result : 0;
  }

  /** Whether the entry was there to delete. */
  synchronized boolean delete(ByteBuffer key) {
    oneKey.write(0, key.array(), 0, keySize);
    return libbpf.bpf_map_delete_elem(fd, oneKey) == 0;
  }

  private long sum(Memory memory, long offset) {
    long total = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      total += memory.getLong(offset + (long) cpu * Long.BYTES);
    }
    return total;
  }
}
