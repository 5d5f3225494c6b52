package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kernel's {@code flush_folds} program (BPF_PROG_RUN) once a window: each run ends the
 * window (the kernel's checks compare a window number, not a clock) and reports the repeats each
 * check event gathered in it; and once more with everything pending at the end, after the hook is
 * detached. The counts of the events then add up to the checks the kernel made.
 */
final class FoldFlush implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FoldFlush.class.getName());

  /** struct bpf_test_run_opts (libbpf 1.x): sz, ctx_in at 32, ctx_size_in at 48, retval at 56. */
  private static final int OPTS_SIZE = 80;

  private final Libbpf libbpf;
  private final int programFd;
  private final ScheduledExecutorService timer;
  // Fields: the kernel reads them during the call, so they must stay reachable (and allocated).
  private final Memory args = new Memory(8);
  private final Memory opts = new Memory(OPTS_SIZE);

  FoldFlush(Libbpf libbpf, int programFd, long windowNanos) {
    this.libbpf = libbpf;
    this.programFd = programFd;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fold-flush");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(windowNanos, TimeUnit.MILLISECONDS.toNanos(10));
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
  }

  /** A failure must not end the timer: the next window tries again. */
  private void tick() {
    try {
      run(false);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "reporting the repeats of check events: " + e);
    }
  }

  /**
   * Reports the repeats of the windows that ended, or, with {@code all}, every one pending. Returns
   * true when the ring was full and some are still pending: read the ring, run again.
   */
  synchronized boolean run(boolean all) {
    args.setInt(0, all ? 1 : 0); // struct flush_args
    args.setInt(4, 0);
    opts.clear();
    opts.setLong(0, OPTS_SIZE);
    opts.setPointer(32, args);
    opts.setInt(48, 8);
    int result = libbpf.bpf_prog_test_run_opts(programFd, opts);
    if (result < 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot report the repeats of check events: " + Errno.describe(-result));
      return false;
    }
    return opts.getInt(56) != 0; // retval: the ring filled up before every repeat was sent
  }

  /** Stops the timer; the last run (with everything) is the caller's, after detaching. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
