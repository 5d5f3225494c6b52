package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.CountKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The kernel's running totals as last read, key by key: what the kernel counted since the last
 * refresh is the difference, so the series stay exact however seldom they are scraped.
 */
final class KernelTotals {
  private final Map<CountKey, Long> last = new HashMap<>();

  /** What the kernel counted under {@code key} since the last read; remembers {@code total}. */
  long delta(CountKey key, long total) {
    long before = last.getOrDefault(key, 0L);
    // Totals only grow; a lower one is a read that raced a slot being freed: nothing new.
    long delta = Math.max(0, total - before);
    if (delta > 0) {
      last.put(key, total);
    }
    return delta;
  }

  /** The key's counts have left the kernel: a later total under it starts again from zero. */
  void forget(CountKey key) {
    last.remove(key);
  }
}
