package io.capabilityexporter.files;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a file watcher's look at its files on a daemon thread of its own, at a fixed delay, until
 * closed: the policy file's and the web config's reloaders.
 */
public final class FilePoller implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FilePoller.class.getName());

  private final ScheduledExecutorService executor;

  private FilePoller(String thread) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread polling = new Thread(task, thread);
              polling.setDaemon(true);
              return polling;
            });
  }

  /**
   * @param thread the polling thread's name
   * @param what what a failed look was doing, for the log ("/etc/policy.yaml: reloading the
   *     policy")
   */
  public static FilePoller every(Duration interval, String thread, String what, Runnable look) {
    FilePoller poller = new FilePoller(thread);
    long millis = interval.toMillis();
    poller.executor.scheduleWithFixedDelay(
        () -> {
          try {
            look.run();
          } catch (RuntimeException e) {
            // An exception would cancel the schedule: report it and keep polling.
            LOG.log(Level.ERROR, what + ": " + e, e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return poller;
  }

  /** Stops polling. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
