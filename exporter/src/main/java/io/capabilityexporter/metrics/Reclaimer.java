package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.ProbeException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Reads the kernel's counts between scrapes once cgroups went, so a departed cgroup's block and
 * spill entries are freed within about {@link #INTERVAL} of its release, whatever the scrape
 * interval, or with no scrape at all: a churn of short-lived cgroups cannot fill the kernel's maps
 * while Prometheus is away. The counts read go into the series as a scrape's would.
 *
 * <p>Woken by releases (the cgroup ring), and by the kernel's ring or map filling ({@code
 * pressure}: a release it could not send, a key it could not add), which a release may be behind. A
 * churn fast enough to fill a quarter of the spill hash within the interval is read at once (every
 * {@link #POLL}): thousands of cgroups a second then cost a read every 100 ms, not a full map.
 */
public final class Reclaimer implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration POLL = Duration.ofMillis(100);

  /** The spill hash's share in use past which released cgroups are read at once. */
  static final double SPILL_FILL = 0.25;

  private static final System.Logger LOG = System.getLogger(Reclaimer.class.getName());

  private final CheckCounters counters;
  private final LongSupplier pressure;
  private final DoubleSupplier spillFill;
  private long lastNanos = System.nanoTime();
  private final AtomicBoolean released = new AtomicBoolean();
  private final ScheduledExecutorService thread;
  private long pressureSeen;
  private boolean failing;

  private Reclaimer(CheckCounters counters, LongSupplier pressure, DoubleSupplier spillFill) {
    this.counters = counters;
    this.pressure = pressure;
    this.spillFill = spillFill;
    this.pressureSeen = pressure.getAsLong();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread reclaim = new Thread(task, "reclaim");
              reclaim.setDaemon(true);
              return reclaim;
            });
  }

  /**
   * Starts reclaiming for {@code counters}.
   *
   * @param pressure a count that grows when the kernel could not send a release or add a key
   * @param spillFill the share of the kernel's spill hash in use now
   */
  public static Reclaimer start(
      CheckCounters counters, LongSupplier pressure, DoubleSupplier spillFill) {
    Reclaimer reclaimer = new Reclaimer(counters, pressure, spillFill);
    long period = POLL.toMillis();
    reclaimer.thread.scheduleWithFixedDelay(
        reclaimer::reclaimIfDue, period, period, TimeUnit.MILLISECONDS);
    return reclaimer;
  }

  /** The kernel released a cgroup: its counts are read, and its entries freed, at the next turn. */
  public void released(long cgroupId) {
    released.set(true);
  }

  private void reclaimIfDue() {
    long pressed = pressure.getAsLong();
    boolean due = pressed != pressureSeen;
    pressureSeen = pressed;
    long now = System.nanoTime();
    if (released.get()) {
      due |= now - lastNanos >= INTERVAL.toNanos() || spillFill.getAsDouble() >= SPILL_FILL;
    }
    if (!due) {
      return;
    }
    released.set(false);
    lastNanos = now;
    try {
      counters.refresh();
      failing = false;
    } catch (ProbeException | RuntimeException e) {
      if (!failing) { // once until it works again: the next scrape reports it too
        LOG.log(Level.WARNING, "reading the kernel's counts between scrapes failed: " + e, e);
      }
      failing = true;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
