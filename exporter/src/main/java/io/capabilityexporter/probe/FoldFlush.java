package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the kernel's {@code flush_folds} program (BPF_PROG_RUN) once a window, so the repeats a
 * check event gathered in a window that has ended are reported within a window or two, and once
 * more with everything pending at the end, after the hook is detached: the counts of the events
 * then add up to the checks the kernel made.
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

  private interface CLib extends com.sun.jna.Library {
    int clock_gettime(int clock, Memory timespec);
  }

  private static final CLib C = com.sun.jna.Native.load("c", CLib.class);
  private static final int CLOCK_BOOTTIME = 7;

  /** Reports the repeats of the windows that ended, or, with {@code all}, every one pending. */
  synchronized void run(boolean all) {
    Memory timespec = new Memory(16);
    C.clock_gettime(CLOCK_BOOTTIME, timespec);
    Memory args = new Memory(16); // struct flush_args
    args.setLong(0, timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8));
    args.setInt(8, all ? 1 : 0);
    args.setInt(12, 0);
    Memory opts = new Memory(OPTS_SIZE);
    opts.clear();
    opts.setLong(0, OPTS_SIZE);
    opts.setPointer(32, args);
    opts.setInt(48, 16);
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
