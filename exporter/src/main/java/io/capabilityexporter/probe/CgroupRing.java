package io.capabilityexporter.probe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Drains the kernel's {@code cgroup_events} ring on a thread of its own, and at once on {@link
 * #catchUp()} (a check from a cgroup made a moment ago must find its path). Malformed records are
 * counted and skipped.
 */
public final class CgroupRing implements AutoCloseable {
  private static final int POLL_MS = 100;

  private final MappedRing ring;
  private final Consumer<CgroupChange> sink;
  private final Thread poller;
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;

  CgroupRing(int mapFd, long ringBytes, Consumer<CgroupChange> sink) throws ProbeException {
    this.ring = new MappedRing(mapFd, ringBytes);
    this.sink = sink;
    this.poller = new Thread(this::poll, "cgroup-ring");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    while (running) {
      if (catchUp() == 0) {
        ring.await(POLL_MS);
      }
    }
  }

  /** Hands what the kernel has sent so far to the sink; returns how many changes. */
  public synchronized int catchUp() {
    if (!running) {
      return 0;
    }
    return ring.drain(
        bytes -> {
          CgroupChange change = CgroupChange.decode(bytes);
          if (change == null) {
            malformed.incrementAndGet();
          } else {
            sink.accept(change);
          }
        });
  }

  public long malformed() {
    return malformed.get();
  }

  @Override
  public void close() {
    running = false;
    try {
      poller.join(2 * POLL_MS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      ring.close();
    }
  }
}
