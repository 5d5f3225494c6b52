package io.capabilityexporter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.OutputStream;

/**
 * A response body written off the heap in chunks of 256 KiB, so that a body of megabytes neither
 * grows a buffer on the 128 MiB heap by doubling nor is copied off it again for each client as
 * Netty writes it: every client is sent the same chunks. The owner releases it ({@link #release})
 * once the last client has been sent it, which frees the memory at once.
 */
final class OffHeapBody extends OutputStream {
  private static final int CHUNK = 256 << 10;

  private final CompositeByteBuf chunks = Unpooled.compositeBuffer(Integer.MAX_VALUE);
  private ByteBuf current;

  @Override
  public void write(int b) {
    room().writeByte(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    while (length > 0) {
      ByteBuf chunk = room();
      int n = Math.min(length, chunk.writableBytes());
      chunk.writeBytes(bytes, offset, n);
      offset += n;
      length -= n;
    }
  }

  private ByteBuf room() {
    if (current == null || !current.isWritable()) {
      if (current != null) {
        chunks.addComponent(true, current);
      }
      current = UnpooledByteBufAllocator.DEFAULT.directBuffer(CHUNK, CHUNK);
    }
    return current;
  }

  /** What was written, over the chunks (no copy); released with {@link #release}. */
  ByteBuf written() {
    if (current != null) {
      chunks.addComponent(true, current);
      current = null;
    }
    return chunks;
  }

  /** Frees the chunks (after a failed write too). */
  void release() {
    if (current != null) {
      current.release();
      current = null;
    }
    chunks.release();
  }
}
