package io.capabilityexporter.probe;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Drains a kernel ring buffer through its memory mapping on a thread of its own, and at once on
 * {@link #catchUp()} (a check from a cgroup made a moment ago must find its path). Each record is
 * decoded from untrusted bytes; what does not decode is counted and skipped, never a crash.
 *
 * @param <T> what a record decodes to
 */
public final class RingReader<T> implements AutoCloseable {
  private static final int POLL_MS = 100;

  private final MappedRing ring;
  private final Function<ByteBuffer, T> decoder;
  private final Consumer<T> sink;
  private final Thread poller;
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;

  /**
   * @param decoder null for bytes that are not a record
   */
  RingReader(
      int mapFd, long ringBytes, String name, Function<ByteBuffer, T> decoder, Consumer<T> sink)
      throws ProbeException {
    this.ring = new MappedRing(mapFd, ringBytes);
    this.decoder = decoder;
    this.sink = sink;
    this.poller = new Thread(this::poll, name);
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

  /** Hands what the kernel has sent so far to the sink; returns how many records. */
  public synchronized int catchUp() {
    if (!running) {
      return 0;
    }
    return ring.drain(
        bytes -> {
          T record = decoder.apply(bytes);
          if (record == null) {
            malformed.incrementAndGet();
          } else {
            sink.accept(record);
          }
        });
  }

  /** Records that did not decode (wrong size or values): counted, skipped. */
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
