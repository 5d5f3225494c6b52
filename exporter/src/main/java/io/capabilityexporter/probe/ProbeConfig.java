package io.capabilityexporter.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Encodes {@code struct capable_config} (bpf/capable.h), written into .rodata before load. */
final class ProbeConfig {
  static final int SIZE = NoauditRanges.MAX * Long.BYTES * 2 + Integer.BYTES * 2;
  private static final int OFFSET_END = NoauditRanges.MAX * Long.BYTES;
  private static final int OFFSET_COUNT = OFFSET_END * 2;

  private ProbeConfig() {}

  static byte[] encode(List<NoauditRanges.Range> ranges) {
    ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
    int count = Math.min(ranges.size(), NoauditRanges.MAX);
    for (int i = 0; i < count; i++) {
      buffer.putLong(i * Long.BYTES, ranges.get(i).start());
      buffer.putLong(OFFSET_END + i * Long.BYTES, ranges.get(i).end());
    }
    buffer.putInt(OFFSET_COUNT, count);
    return buffer.array();
  }

  static int rangeCount(byte[] config) {
    return ByteBuffer.wrap(config).order(ByteOrder.nativeOrder()).getInt(OFFSET_COUNT);
  }
}
