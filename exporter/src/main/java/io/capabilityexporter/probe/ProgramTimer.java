package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the object's {@code SEC("syscall")} programs (BPF_PROG_RUN) on a timer, and once more
 * with {@code all} at the end, after the hooks are detached, by its owner. Two such: {@code
 * flush_folds} once a window, which ends the window (the kernel's checks compare a window number,
 * not a clock) and reports the repeats each check event gathered in it, so the counts of the events
 * add up to the checks; and {@code settle_entries} once a second, which credits the checks a
 * runtime made entering a container once they have waited long enough (bpf/runtime.bpf.h).
 */
final class ProgramTimer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ProgramTimer.class.getName());

  /** struct bpf_test_run_opts (libbpf 1.x): sz, ctx_in at 32, ctx_size_in at 48, retval at 56. */
  private static final int OPTS_SIZE = 80;

  private final Libbpf libbpf;
  private final int programFd;
  private final ScheduledExecutorService timer;
  // Fields: the kernel reads them during the call, so they must stay reachable (and allocated).
  private final Memory args = new Memory(8);
  private final Memory opts = new Memory(OPTS_SIZE);

  /** What a run does, for the log: "report the repeats of check events". */
  private final String purpose;

  /** The program's argument is {@code struct flush_args} or {@code struct settle_args}: alike. */
  ProgramTimer(Libbpf libbpf, int programFd, long periodNanos, String name, String purpose) {
    this.libbpf = libbpf;
    this.programFd = programFd;
    this.purpose = purpose;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(periodNanos, TimeUnit.MILLISECONDS.toNanos(10));
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
  }

  /** A failure must not end the timer: the next window tries again. */
  private void tick() {
    try {
      run(false);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, purpose + ": " + e);
    }
  }

  /**
   * Runs the program once: for the fold flush, reports the repeats of the windows that ended, or,
   * with {@code all}, every one pending, and returns true when the ring was full and some are still
   * pending (read the ring, run again).
   */
  synchronized boolean run(boolean all) {
    args.setInt(0, all ? 1 : 0);
    args.setInt(4, 0);
    opts.clear();
    opts.setLong(0, OPTS_SIZE);
    opts.setPointer(32, args);
    opts.setInt(48, 8);
    int result = libbpf.bpf_prog_test_run_opts(programFd, opts);
    if (result < 0) {
      LOG.log(System.Logger.Level.WARNING, "cannot " + purpose + ": " + Errno.describe(-result));
      return false;
    }
    return opts.getInt(56) != 0; // retval
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
