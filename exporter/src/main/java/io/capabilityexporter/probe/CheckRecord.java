package io.capabilityexporter.probe;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.DenyClass;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Mirror of {@code struct check_event} in bpf/capable.h: one check event as the kernel sent it. A
 * check the kernel held ({@link Origin#HELD}) names its {@code lineage}, whose resolution {@link
 * HeldChecks} learns before the record goes on. Decoded defensively: the bytes come from the ring
 * buffer, so a record of the wrong size is refused, and the strings and enumerations are bounded.
 */
public record CheckRecord(
    long bootNanos,
    long cgroupId,
    long count,
    long effectiveCaps,
    long targetUserNs,
    long currentUserNs,
    long mountNs,
    int pid,
    int tid,
    long uid,
    long gid,
    int capability,
    int syscall,
    int stackId,
    int lineage,
    boolean denied,
    DenyClass denyClass,
    Flag audit,
    Flag insetid,
    int usernsLevel,
    Origin origin,
    String comm) {

  static final int SIZE = 104;
  static final int OFFSET_COUNT = 16;
  static final int OFFSET_TARGET_USERNS = 32;
  static final int OFFSET_PID = 44;
  static final int OFFSET_CAP = 60;
  static final int OFFSET_SYSCALL = 64;
  static final int OFFSET_STACK_ID = 68;
  static final int OFFSET_LINEAGE = 72;
  static final int OFFSET_VERDICT = 76;
  static final int OFFSET_USERNS_LEVEL = 79;
  static final int OFFSET_ORIGIN = 80;
  static final int OFFSET_COMM = 84;
  private static final int COMM_LENGTH = 16;

  /** Null when the bytes cannot be a record (the caller counts and skips it). */
  static CheckRecord decode(ByteBuffer bytes) {
    if (bytes.remaining() != SIZE) {
      return null;
    }
    int start = bytes.position();
    int verdict = bytes.get(start + OFFSET_VERDICT);
    if (verdict < 0 || verdict > 4) {
      return null;
    }
    return new CheckRecord(
        bytes.getLong(start),
        bytes.getLong(start + 8),
        bytes.getLong(start + OFFSET_COUNT),
        bytes.getLong(start + 24),
        Integer.toUnsignedLong(bytes.getInt(start + OFFSET_TARGET_USERNS)),
        Integer.toUnsignedLong(bytes.getInt(start + OFFSET_TARGET_USERNS + 4)),
        Integer.toUnsignedLong(bytes.getInt(start + OFFSET_TARGET_USERNS + 8)),
        bytes.getInt(start + OFFSET_PID),
        bytes.getInt(start + OFFSET_PID + 4),
        Integer.toUnsignedLong(bytes.getInt(start + OFFSET_PID + 8)),
        Integer.toUnsignedLong(bytes.getInt(start + OFFSET_PID + 12)),
        bytes.getInt(start + OFFSET_CAP),
        bytes.getInt(start + OFFSET_SYSCALL),
        bytes.getInt(start + OFFSET_STACK_ID),
        bytes.getInt(start + OFFSET_LINEAGE),
        verdict != 0,
        DenyClass.ofVerdict(verdict),
        CountKey.flag(bytes.get(start + OFFSET_VERDICT + 1)),
        CountKey.flag(bytes.get(start + OFFSET_VERDICT + 2)),
        Byte.toUnsignedInt(bytes.get(start + OFFSET_USERNS_LEVEL)),
        CountKey.origin(bytes.get(start + OFFSET_ORIGIN)),
        comm(bytes, start + OFFSET_COMM));
  }

  /**
   * The same record, once the kernel has said whose a held check was: counted in {@code cgroupId}
   * as {@code origin}'s.
   */
  CheckRecord resolved(long cgroupId, Origin origin) {
    return new CheckRecord(
        bootNanos,
        cgroupId,
        count,
        effectiveCaps,
        targetUserNs,
        currentUserNs,
        mountNs,
        pid,
        tid,
        uid,
        gid,
        capability,
        syscall,
        stackId,
        lineage,
        denied,
        denyClass,
        audit,
        insetid,
        usernsLevel,
        origin,
        comm);
  }

  /** What was checked: the capability, verdict, audit flag and user namespace level. */
  public Check check() {
    return new Check(capability, denied, audit, usernsLevel, denyClass);
  }

  /** Up to the first NUL, printable ASCII only: a task can name itself anything. */
  private static String comm(ByteBuffer bytes, int offset) {
    byte[] raw = new byte[COMM_LENGTH];
    int length = 0;
    for (; length < COMM_LENGTH; length++) {
      byte b = bytes.get(offset + length);
      if (b == 0) {
        break;
      }
      raw[length] = b >= 0x20 && b < 0x7f ? b : (byte) '?';
    }
    return new String(raw, 0, length, StandardCharsets.US_ASCII);
  }
}
