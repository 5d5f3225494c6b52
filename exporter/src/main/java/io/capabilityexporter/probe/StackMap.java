package io.capabilityexporter.probe;

import com.sun.jna.Memory;

/** Reads one stack of the kernel's {@code stacks} map (BPF_MAP_TYPE_STACK_TRACE). */
final class StackMap {
  /** PERF_MAX_STACK_DEPTH: the value size the map was made with. */
  static final int DEPTH = 127;

  private StackMap() {}

  static long[] read(Libbpf libbpf, int fd, int stackId) throws ProbeException {
    Memory key = new Memory(Integer.BYTES);
    key.setInt(0, stackId);
    Memory value = new Memory((long) DEPTH * Long.BYTES);
    int result = libbpf.bpf_map_lookup_elem(fd, key, value);
    if (result < 0) {
      throw new ProbeException("no stack " + stackId + ": " + Errno.describe(-result));
    }
    int frames = 0;
    while (frames < DEPTH && value.getLong((long) frames * Long.BYTES) != 0) {
      frames++;
    }
    return value.getLongArray(0, frames);
  }
}
