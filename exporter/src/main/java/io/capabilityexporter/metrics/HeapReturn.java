package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.NativeHeap;
import java.time.Duration;

/**
 * Gives the heap that series held back to the node once they go. The serial collector (the
 * launcher's) shrinks the heap only after a full collection, which a quiet exporter never needs:
 * after a churn's series retire, the memory they took would stay the process's for good. So when
 * many go at once, one full collection is asked for, at most once a minute.
 */
final class HeapReturn {
  /** Series gone since the last collection that make one worth its pause (~0.1 s). */
  static final int SERIES = 20_000;

  static final long INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final Runnable collect;
  private long removedSince;
  private long lastNanos;
  private boolean collected;

  HeapReturn() {
    this(
        () -> {
          System.gc();
          NativeHeap.giveBack(); // and what the scrapes of those series left in glibc's heap
        });
  }

  HeapReturn(Runnable collect) {
    this.collect = collect;
  }

  /** {@code removed} series went at {@code now}. */
  void seriesRemoved(int removed, long now) {
    removedSince += removed;
    if (removedSince >= SERIES && (!collected || now - lastNanos >= INTERVAL_NANOS)) {
      collect.run();
      collected = true;
      lastNanos = now;
      removedSince = 0;
    }
  }
}
