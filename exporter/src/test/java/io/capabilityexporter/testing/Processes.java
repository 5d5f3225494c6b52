package io.capabilityexporter.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ends the processes the tests start (exporters, Prometheus, daemons) the same way. */
public final class Processes {
  private Processes() {}

  /**
   * Kills {@code process} if the JVM exits while it still runs (a test run aborted, Ctrl-C), so
   * that no exporter stays attached to the kernel's hook; {@link #stop} takes the hook back.
   */
  public static Thread killOnExit(Process process, String name) {
    Thread killer = new Thread(process::destroyForcibly, name);
    Runtime.getRuntime().addShutdownHook(killer);
    return killer;
  }

  /**
   * SIGTERM, as its owner would stop it (an exporter detaches its program then), {@code grace} to
   * exit, then SIGKILL. Interrupted, it kills the process at once and keeps the interrupt.
   *
   * @param killOnExit what {@link #killOnExit} returned, or null
   */
  public static void stop(Process process, Duration grace, Thread killOnExit) {
    try {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return;
    }
    if (killOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
