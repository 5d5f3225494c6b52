package io.capabilityexporter.probe;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Reads the kernel's BPF ring buffer straight from its memory mapping, in Java: no native callback
 * per record. The layout is the kernel's ABI (kernel/bpf/ringbuf.c): a consumer page the reader
 * writes its position to, a producer page with the producer's position, then the data pages mapped
 * twice so that a record never wraps. Each record has an 8-byte header whose length word carries
 * BUSY while the producer writes it and DISCARD when it was dropped.
 */
final class MappedRing {
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private interface CLib extends Library {
    Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset);

    int munmap(Pointer address, long length);

    int getpagesize();

    int poll(Pointer fds, long count, int timeoutMs);
  }

  private static final CLib C = Native.load("c", CLib.class);

  private final Pointer consumerPage;
  private final Pointer producerPages;
  private final ByteBuffer consumer;
  private final ByteBuffer producer;
  private final ByteBuffer data;
  private final long mask;
  private final int pageSize;
  private final long dataSize;
  private final int fd;
  private final com.sun.jna.Memory pollFd = new com.sun.jna.Memory(8);

  MappedRing(int fd, long ringBytes) throws ProbeException {
    this.fd = fd;
    pageSize = C.getpagesize();
    dataSize = ringBytes;
    mask = ringBytes - 1;
    consumerPage = C.mmap(null, pageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    producerPages = C.mmap(null, pageSize + 2 * ringBytes, PROT_READ, MAP_SHARED, fd, pageSize);
    if (failed(consumerPage) || failed(producerPages)) {
      throw new ProbeException("cannot map the events ring buffer: " + Errno.describe());
    }
    consumer = consumerPage.getByteBuffer(0, pageSize).order(ByteOrder.nativeOrder());
    producer = producerPages.getByteBuffer(0, pageSize).order(ByteOrder.nativeOrder());
    data = producerPages.getByteBuffer(pageSize, 2 * ringBytes).order(ByteOrder.nativeOrder());
  }

  /** Waits until the kernel has data for us, or the timeout: poll(2) on the map. */
  void await(int timeoutMs) {
    pollFd.setInt(0, fd);
    pollFd.setShort(4, (short) 1); // POLLIN
    pollFd.setShort(6, (short) 0);
    C.poll(pollFd, 1, timeoutMs);
  }

  private static boolean failed(Pointer mapping) {
    return mapping == null || Pointer.nativeValue(mapping) == -1L;
  }

  /**
   * Hands every committed record to {@code sink} (a view of its bytes, valid during the call;
   * malformed ones as null) and returns how many records it consumed.
   */
  int drain(Consumer<ByteBuffer> sink) {
    long consumed = (long) LONGS.getAcquire(consumer, 0);
    long produced = (long) LONGS.getAcquire(producer, 0);
    int records = 0;
    while (consumed < produced) {
      int offset = (int) (consumed & mask);
      int length = (int) INTS.getAcquire(data, offset);
      if ((length & BUSY) != 0) {
        break; // still being written
      }
      int size = length & ~(BUSY | DISCARD);
      if (size > dataSize - HEADER) {
        break; // cannot be: stop rather than read garbage
      }
      if ((length & DISCARD) == 0) {
        sink.accept(data.slice(offset + HEADER, size).order(ByteOrder.nativeOrder()));
        records++;
      }
      consumed += (size + HEADER + 7) & ~7L;
      LONGS.setRelease(consumer, 0, consumed);
    }
    return records;
  }

  void close() {
    C.munmap(consumerPage, pageSize);
    C.munmap(producerPages, pageSize + 2 * dataSize);
  }
}
