package io.capabilityexporter.probe;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Drains the kernel's {@code events} ring buffer on a thread of its own. Malformed records are
 * counted and skipped, never a crash.
 *
 * <p>Two readers: {@link Reader#MAPPED} reads the ring's memory mapping in Java (the default:
 * bench/RESULTS.md measures it against the other); {@link Reader#LIBBPF} lets libbpf's
 * ring_buffer__poll call back into Java through JNA for every record.
 */
public final class EventRing implements AutoCloseable {
  private static final int POLL_MS = 100;

  /** How records come out of the ring. */
  public enum Reader {
    MAPPED,
    LIBBPF
  }

  private final Libbpf libbpf;
  private final Pointer ring;
  private final MappedRing mapped;
  private final Thread poller;
  private final AtomicLong malformed = new AtomicLong();
  private volatile boolean running = true;
  // A field: JNA callbacks must stay reachable for as long as libbpf may call them.
  private final Libbpf.RingSampleFn sample;

  EventRing(Libbpf libbpf, int mapFd, long ringBytes, Reader reader, Consumer<CheckRecord> sink)
      throws ProbeException {
    this.libbpf = libbpf;
    Consumer<ByteBuffer> decode =
        bytes -> {
          CheckRecord record = CheckRecord.decode(bytes);
          if (record == null) {
            malformed.incrementAndGet();
          } else {
            sink.accept(record);
          }
        };
    this.sample =
        (context, data, size) -> {
          decode.accept(
              data.getByteBuffer(0, Math.min(size, 1 << 16)).order(ByteOrder.nativeOrder()));
          return 0;
        };
    if (reader == Reader.MAPPED) {
      this.mapped = new MappedRing(mapFd, ringBytes);
      this.ring = null;
      this.poller = new Thread(() -> readMapped(decode), "event-ring");
    } else {
      this.mapped = null;
      this.ring = libbpf.ring_buffer__new(mapFd, sample, null, null);
      if (ring == null) {
        throw new ProbeException("cannot open the events ring buffer: " + Errno.describe());
      }
      this.poller = new Thread(this::poll, "event-ring");
    }
    poller.setDaemon(true);
    poller.start();
  }

  private void readMapped(Consumer<ByteBuffer> decode) {
    while (running) {
      if (mapped.drain(decode) == 0) {
        mapped.await(POLL_MS);
      }
    }
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
    if (mapped != null) {
      mapped.close();
    } else {
      libbpf.ring_buffer__free(ring);
    }
  }
}
