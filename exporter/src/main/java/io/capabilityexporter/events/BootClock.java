package io.capabilityexporter.events;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.time.Instant;

/**
 * Turns the kernel's CLOCK_BOOTTIME stamps (bpf_ktime_get_boot_ns) into wall-clock time: the offset
 * between the two clocks is measured once and again every few seconds, so a clock step (NTP) is
 * followed.
 */
final class BootClock {
  private static final int CLOCK_BOOTTIME = 7;
  private static final long REMEASURE_NANOS = 5_000_000_000L;

  @Structure.FieldOrder({"seconds", "nanos"})
  public static final class Timespec extends Structure {
    public long seconds;
    public long nanos;
  }

  private interface CLib extends Library {
    int clock_gettime(int clock, Timespec time);
  }

  private static final CLib C = Native.load("c", CLib.class);

  private long offsetNanos;
  private long measuredAt = Long.MIN_VALUE;

  synchronized Instant toWallClock(long bootNanos) {
    long now = System.nanoTime();
    if (measuredAt == Long.MIN_VALUE || now - measuredAt > REMEASURE_NANOS) {
      Timespec boot = new Timespec();
      C.clock_gettime(CLOCK_BOOTTIME, boot);
      Instant wall = Instant.now();
      long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
      offsetNanos = wallNanos - (boot.seconds * 1_000_000_000L + boot.nanos);
      measuredAt = now;
    }
    long wallNanos = bootNanos + offsetNanos;
    return Instant.ofEpochSecond(
        Math.floorDiv(wallNanos, 1_000_000_000L), Math.floorMod(wallNanos, 1_000_000_000L));
  }
}
