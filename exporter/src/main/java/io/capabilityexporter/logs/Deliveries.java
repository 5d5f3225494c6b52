package io.capabilityexporter.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every record handed to the SDK is accounted for: delivered, or counted in {@code
 * capability.exporter.events.dropped} with its reason.
 *
 * <p>The SDK's BatchLogRecordProcessor drops a record silently when its queue is full. So the
 * records in flight (handed to the processor and not yet answered by the collector, whether queued,
 * batched or being sent) are held to at most the processor's queue size: its queue, which holds a
 * subset of them, can then never be full. A record beyond the bound is not handed over and is
 * counted {@code otlp_queue_full}. The OTLP exporter's answer for each batch releases its records,
 * counting them {@code otlp_export_failed} when it failed (collector down, refused, timed out,
 * after the exporter's retries). What is still in flight when {@link #settle} runs at close did not
 * reach the collector either and is counted {@code otlp_export_failed} then. Memory stays bounded
 * by the queue size whatever the collector does.
 */
final class Deliveries {
  static final String DROPPED = "capability.exporter.events.dropped";
  // Prometheus shows the HELP of the first meter registered under the name (SelfMetrics').
  static final String DROPPED_DESCRIPTION =
      "Check events not delivered, by reason. otlp_queue_full: the OTLP queue was full;"
          + " otlp_export_failed: the collector did not take them.";

  private final long capacity;
  private final AtomicLong inFlight = new AtomicLong();
  private final Counter queueFull;
  private final Counter exportFailed;
  private boolean settled; // guarded by this

  Deliveries(long capacity, MeterRegistry registry) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.queueFull = dropped(registry, "otlp_queue_full");
    this.exportFailed = dropped(registry, "otlp_export_failed");
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder(DROPPED)
        .description(DROPPED_DESCRIPTION)
        .tag("reason", reason)
        .register(registry);
  }

  /** Takes a place for one record, or counts it {@code otlp_queue_full} when all are taken. */
  boolean tryAcquire() {
    long taken;
    do {
      taken = inFlight.get();
      if (taken >= capacity) {
        queueFull.increment();
        return false;
      }
    } while (!inFlight.compareAndSet(taken, taken + 1));
    return true;
  }

  /** The collector's answer (or the exporter's failure) for {@code records} records. */
  synchronized void finished(int records, boolean delivered) {
    if (settled) {
      return;
    }
    inFlight.addAndGet(-records);
    if (!delivered) {
      exportFailed.increment(records);
    }
  }

  /** Counts what is still in flight as not delivered; later answers change nothing. */
  synchronized void settle() {
    if (settled) {
      return;
    }
    settled = true;
    long lost = inFlight.getAndSet(0);
    if (lost > 0) {
      exportFailed.increment(lost);
    }
  }

  long inFlight() {
    return inFlight.get();
  }

  long capacity() {
    return capacity;
  }
}
