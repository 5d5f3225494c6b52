package io.capabilityexporter.probe;

import java.time.Duration;

/**
 * Check events (trace, OTLP): whether the kernel sends them, how long it folds repeats of one
 * (cgroup, process, capability, verdict, syscall) into one event, the ring buffer's size, and
 * whether events carry kernel stacks.
 */
public record EventOptions(
    boolean enabled, Duration window, int ringBytes, boolean stacks, boolean auditedOnly) {
  public static final EventOptions OFF =
      new EventOptions(false, Duration.ofSeconds(1), 4096, false, false);

  public EventOptions(boolean enabled, Duration window, int ringBytes, boolean stacks) {
    this(enabled, window, ringBytes, stacks, false);
  }

  /** No events for the checks the kernel does not audit (every mmap's SYS_ADMIN probe). */
  public EventOptions auditedOnly(boolean audited) {
    return new EventOptions(enabled, window, ringBytes, stacks, audited);
  }

  /**
   * 4 MiB: ~40,000 records, 0.4 s of 100,000 events a second; with 1 MiB a reader sharing one core
   * with the producer lost a few hundred of a million (bench/RESULTS.md).
   */
  public static final int DEFAULT_RING_BYTES = 4 << 20;

  public static EventOptions on(Duration window, boolean stacks) {
    return new EventOptions(true, window, DEFAULT_RING_BYTES, stacks);
  }
}
