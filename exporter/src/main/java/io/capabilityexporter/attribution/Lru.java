package io.capabilityexporter.attribution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that drops its least recently used entry past a fixed size. Keys here come from the kernel
 * (cgroup ids) or from untrusted disk state, so every cache in this package must stay bounded. Not
 * thread-safe: {@code get} reorders entries, so callers synchronize reads too.
 */
final class Lru<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;

  private final int capacity;

  Lru(int capacity) {
    super(16, 0.75f, true);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
