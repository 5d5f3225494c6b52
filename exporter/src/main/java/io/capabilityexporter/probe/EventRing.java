package io.capabilityexporter.probe;

import com.sun.jna.Pointer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Drains the kernel's {@code events} ring buffer on a thread of its own, through libbpf's
 * ring_buffer__poll. Malformed records are counted and skipped, never a crash.
 */
public final class EventRing implements AutoCloseable {
  private static final int POLL_MS = 100;

  private final Libbpf libbpf;
  private final Pointer ring;
  private final Thread poller;
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  // A field: JNA callbacks must stay reachable for as long as libbpf may call them.
  private final Libbpf.RingSampleFn sample;

  EventRing(Libbpf libbpf, int mapFd, Consumer<CheckRecord> sink) throws ProbeException {
    this.libbpf = libbpf;
    this.sample =
        (context, data, size) -> {
          CheckRecord record =
              size == CheckRecord.SIZE
                  ? CheckRecord.decode(data.getByteBuffer(0, size).order(ByteOrder.nativeOrder()))
                  : null;
          if (record == null) {
            malformed.incrementAndGet();
          } else {
            sink.accept(record);
          }
          return 0;
        };
    this.ring = libbpf.ring_buffer__new(mapFd, sample, null, null);
    if (ring == null) {
      throw new ProbeException("cannot open the events ring buffer: " + Errno.describe());
    }
    this.poller = new Thread(this::poll, "event-ring");
    poller.setDaemon(true);
    poller.start();
  }

  private void poll() {
    while (running) {
      int result = libbpf.ring_buffer__poll(ring, POLL_MS);
      if (result < 0 && result != -4) { // EINTR is a signal, not a fault
        System.getLogger(EventRing.class.getName())
            .log(System.Logger.Level.ERROR, "polling the events ring: " + Errno.describe(-result));
        return;
      }
    }
  }

  /** Records that were not a check event (wrong size or values): counted, skipped. */
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
    libbpf.ring_buffer__free(ring);
  }
}
