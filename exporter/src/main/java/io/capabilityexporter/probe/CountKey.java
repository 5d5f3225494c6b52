package io.capabilityexporter.probe;

import java.nio.ByteBuffer;

/**
 * Mirror of {@code struct count_key} in bpf/capable.h: one row of the kernel's counts map.
 *
 * @param cgroupId cgroup v2 id of the checking task; {@link #NO_CGROUP} for checks counted while
 *     the map was full
 * @param capability capability number, as in linux/capability.h ({@code 21} is SYS_ADMIN)
 * @param denied the check failed
 * @param audit whether the kernel audits the check
 * @param usernsLevel depth of the user namespace the check was against: 0 for the host's, 1 for one
 *     made under it (a pod with {@code hostUsers: false}, or a workload's own), and so on
 */
public record CountKey(
    long cgroupId, int capability, boolean denied, Audit audit, int usernsLevel) {

  /** Size and field offsets of the C struct; RecordLayoutTest holds them to the BTF. */
  static final int SIZE = 16;

  static final int OFFSET_CGROUP_ID = 0;
  static final int OFFSET_CAP = 8;
  static final int OFFSET_VERDICT = 12;
  static final int OFFSET_AUDIT = 13;
  static final int OFFSET_USERNS_LEVEL = 14;

  public static final long NO_CGROUP = 0;

  /** A check against the host's user namespace. */
  public CountKey(long cgroupId, int capability, boolean denied, Audit audit) {
    this(cgroupId, capability, denied, audit, 0);
  }

  /** The kernel's audit decision for a check: {@code enum audit} in capable.h. */
  public enum Audit {
    NO,
    YES,
    UNKNOWN;

    static Audit of(int value) {
      return switch (value) {
        case 0 -> NO;
        case 1 -> YES;
        default -> UNKNOWN;
      };
    }
  }

  /** Reads a key at {@code start} of a buffer in native byte order. */
  static CountKey read(ByteBuffer buffer, int start) {
    long cgroupId = buffer.getLong(start + OFFSET_CGROUP_ID);
    int cap = buffer.getInt(start + OFFSET_CAP);
    int verdict = buffer.get(start + OFFSET_VERDICT);
    int audit = buffer.get(start + OFFSET_AUDIT);
    int level = Byte.toUnsignedInt(buffer.get(start + OFFSET_USERNS_LEVEL));
    return new CountKey(cgroupId, cap, verdict != 0, Audit.of(audit), level);
  }

  void write(ByteBuffer buffer) {
    int start = buffer.position();
    buffer.putLong(start + OFFSET_CGROUP_ID, cgroupId);
    buffer.putInt(start + OFFSET_CAP, capability);
    buffer.put(start + OFFSET_VERDICT, (byte) (denied ? 1 : 0));
    buffer.put(start + OFFSET_AUDIT, (byte) audit.ordinal());
    buffer.put(start + OFFSET_USERNS_LEVEL, (byte) usernsLevel);
    buffer.put(start + OFFSET_USERNS_LEVEL + 1, (byte) 0);
    buffer.position(start + SIZE);
  }
}
