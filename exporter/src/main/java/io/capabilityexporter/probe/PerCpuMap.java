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

  record Entry(ByteBuffer key, long total) {}

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

  /** Every entry of a hash map; keys are views in native byte order. */
  synchronized List<Entry> readAll() throws ProbeException {
    List<Entry> entries = new ArrayList<>();
    IntByReference count = new IntByReference();
    boolean first = true;
    while (true) {
      count.setValue(CHUNK);
      int result =
          libbpf.bpf_map_lookup_batch(fd, first ? null : batch, batch, keys, values, count, null);
      first = false;
      if (result < 0 && -result != ENOENT) {
        throw new ProbeException("cannot read the counts map: " + Errno.describe(-result));
      }
      ByteBuffer keyBytes = keys.getByteBuffer(0, (long) count.getValue() * keySize);
      keyBytes.order(ByteOrder.nativeOrder());
      for (int i = 0; i < count.getValue(); i++) {
        ByteBuffer key = ByteBuffer.allocate(keySize).order(ByteOrder.nativeOrder());
        key.put(keyBytes.slice(i * keySize, keySize)).flip();
        entries.add(new Entry(key, sum(values, (long) i * Long.BYTES * cpus)));
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

  synchronized void delete(ByteBuffer key) {
    oneKey.write(0, key.array(), 0, keySize);
    libbpf.bpf_map_delete_elem(fd, oneKey);
  }

  private long sum(Memory memory, long offset) {
    long total = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      total += memory.getLong(offset + (long) cpu * Long.BYTES);
    }
    return total;
  }
}
