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

  /** struct bpf_test_run_opts (libbpf 1.x): sz, then ctx_in at 32 and ctx_size_in at 48. */
  private static final int OPTS_SIZE = 80;

  private final Libbpf libbpf;
  private final int programFd;
  private final ScheduledExecutorService timer;

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
    timer.scheduleWithFixedDelay(() -> run(false), period, period, TimeUnit.NANOSECONDS);
  }

  /** Reports the repeats of the windows that ended, or, with {@code all}, every one pending. */
  synchronized void run(boolean all) {
    Memory args = new Memory(8); // struct flush_args
    args.setInt(0, all ? 1 : 0);
    args.setInt(4, 0);
    Memory opts = new Memory(OPTS_SIZE);
    opts.clear();
    opts.setLong(0, OPTS_SIZE);
    opts.setPointer(32, args);
    opts.setInt(48, 8);
    int result = libbpf.bpf_prog_test_run_opts(programFd, opts);
    if (result < 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot report the repeats of check events: " + Errno.describe(-result));
    }
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
