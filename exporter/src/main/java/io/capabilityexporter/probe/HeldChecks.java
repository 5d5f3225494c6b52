package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import io.capabilityexporter.domain.Origin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Check events of checks the kernel held ({@link Origin#HELD}): a host process entering namespaces
 * or mounting, whose checks are the runtime's of the container it then enters, or else its own
 * (bpf/runtime.bpf.h). They wait here until the kernel's {@code joining} map says which, and then
 * go on as that, named by the cgroup they were counted in: the events say what the counters say.
 * Every other record goes straight on. The sink is called by one thread at a time.
 */
final class HeldChecks implements Consumer<CheckRecord>, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HeldChecks.class.getName());

  /** Offset of {@code resolution} in {@code struct pending_checks}, and its size. */
  static final int OFFSET_RESOLUTION = 16;

  static final int VALUE_SIZE = 128;
  private static final long RESOLVED_RUNTIME = 1L << 63;
  private static final long LOOK_EVERY_MILLIS = 50;

  /**
   * The kernel settles a lineage within 5 s and keeps its entry 5 s more: past this, an event whose
   * entry is gone goes on as held.
   */
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(15);

  /** At most this many wait; beyond, the oldest goes on as held (and is counted as such). */
  static final int MAX_WAITING = 10_000;

  private final Libbpf libbpf;
  private final int joiningFd;
  private final Consumer<CheckRecord> sink;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private final Memory key = new Memory(Integer.BYTES);
  private final Memory value = new Memory(VALUE_SIZE);

  private record Waiting(CheckRecord record, long since) {}

  HeldChecks(Libbpf libbpf, int joiningFd, Consumer<CheckRecord> sink) {
    this.libbpf = libbpf;
    this.joiningFd = joiningFd;
    this.sink = sink;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "held-checks");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::lookSafely, LOOK_EVERY_MILLIS, LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void accept(CheckRecord record) {
    if (record.origin() != Origin.HELD) {
      sink.accept(record);
      return;
    }
    CheckRecord resolved = resolve(record);
    if (resolved != null) {
      sink.accept(resolved);
      return;
    }
    if (waiting.size() >= MAX_WAITING) {
      sink.accept(waiting.removeFirst().record());
    }
    waiting.addLast(new Waiting(record, System.nanoTime()));
  }

  private void lookSafely() {
    try {
      look(false);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "learning whose held checks were: " + e);
    }
  }

  /** Sends on what is resolved; with {@code last}, the rest too, as held. */
  private synchronized void look(boolean last) {
    if (waiting.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<Waiting> still = new ArrayList<>(waiting.size());
    for (Waiting each : waiting) {
      CheckRecord resolved = resolve(each.record());
      if (resolved != null) {
        sink.accept(resolved);
      } else if (last || now - each.since() > GIVE_UP_NANOS) {
        sink.accept(each.record());
      } else {
        still.add(each);
      }
    }
    waiting.clear();
    waiting.addAll(still);
  }

  /** The record as the kernel resolved its lineage; null while it has not. */
  private CheckRecord resolve(CheckRecord record) {
    key.setInt(0, record.lineage());
    if (libbpf.bpf_map_lookup_elem(joiningFd, key, value) != 0) {
      return null;
    }
    long resolution = value.getLong(OFFSET_RESOLUTION);
    if (resolution == 0) {
      return null;
    }
    return record.resolved(
        resolution & ~RESOLVED_RUNTIME,
        (resolution & RESOLVED_RUNTIME) != 0 ? Origin.RUNTIME : Origin.WORKLOAD);
  }

  /**
   * Stops looking on a timer; then sends on, as resolved or as held, what still waits. Call once
   * the kernel has settled every lineage and the ring is drained, before the maps go.
   */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    look(true);
  }
}
