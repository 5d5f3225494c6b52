package io.capabilityexporter.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a long-running command cleanly on SIGINT or SIGTERM: the JVM's shutdown hook wakes the
 * command, waits for it to detach the BPF program, and exits 0 (stopped as asked, not 130 or 143).
 * A command that ends by itself says so first, and then exits with its own status.
 */
final class StopSignal {
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  /**
   * Signalled by {@link #trigger()} alone (in tests); the command's is {@link #onSigintOrSigterm}.
   */
  StopSignal() {}

  static StopSignal onSigintOrSigterm() {
    StopSignal signal = new StopSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (signal.cleanedUp.getCount() == 0) {
                    return;
                  }
                  signal.trigger();
                  try {
                    signal.cleanedUp.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    return signal;
  }

  void trigger() {
    stop.countDown();
  }

  /** Waits for the signal, or {@code timeoutMillis} when positive; true when signalled. */
  boolean await(long timeoutMillis) throws InterruptedException {
    if (timeoutMillis <= 0) {
      stop.await();
      return true;
    }
    return stop.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The command has released everything: exiting is safe now. */
  void cleanedUp() {
    cleanedUp.countDown();
  }
}
