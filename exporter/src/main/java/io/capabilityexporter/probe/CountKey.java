package io.capabilityexporter.probe;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.DenyClass;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
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
 * @param origin the workload's check, or its container runtime's (bpf/runtime.bpf.h)
 * @param denyClass for a deny, what the program did about it (bpf/denies.bpf.h)
 */
public record CountKey(
    long cgroupId,
    int capability,
    boolean denied,
    Flag audit,
    int usernsLevel,
    Origin origin,
    DenyClass denyClass) {

  /** Size and field offsets of the C struct; RecordLayoutTest holds them to the BTF. */
  static final int SIZE = 16;

  static final int OFFSET_CGROUP_ID = 0;
  static final int OFFSET_CAP = 8;
  static final int OFFSET_VERDICT = 12;
  static final int OFFSET_AUDIT = 13;
  static final int OFFSET_USERNS_LEVEL = 14;
  static final int OFFSET_ORIGIN = 15;

  public static final long NO_CGROUP = 0;

  /** The workload's check against the host's user namespace. */
  public CountKey(long cgroupId, int capability, boolean denied, Flag audit) {
    this(cgroupId, capability, denied, audit, 0, Origin.WORKLOAD, DenyClass.NONE);
  }

  /** The workload's check. */
  public CountKey(long cgroupId, int capability, boolean denied, Flag audit, int usernsLevel) {
    this(cgroupId, capability, denied, audit, usernsLevel, Origin.WORKLOAD, DenyClass.NONE);
  }

  /** A check with no deny class. */
  public CountKey(
      long cgroupId, int capability, boolean denied, Flag audit, int usernsLevel, Origin origin) {
    this(cgroupId, capability, denied, audit, usernsLevel, origin, DenyClass.NONE);
  }

  /** {@code enum origin}: 1 the runtime's, 2 held (events only), anything else the workload's. */
  static Origin origin(int value) {
    return switch (value) {
      case 1 -> Origin.RUNTIME;
      case 2 -> Origin.HELD;
      default -> Origin.WORKLOAD;
    };
  }

  /** A flag as capable.h writes it ({@code enum audit}): 0 no, 1 yes, anything else unknown. */
  static Flag flag(int value) {
    return switch (value) {
      case 0 -> Flag.NO;
      case 1 -> Flag.YES;
      default -> Flag.UNKNOWN;
    };
  }

  /** What the key counts, apart from where: the check the policy judges. */
  public Check check() {
    return new Check(capability, denied, audit, usernsLevel, denyClass);
  }

  /** Reads a key at {@code start} of a buffer in native byte order. */
  static CountKey read(ByteBuffer buffer, int start) {
    long cgroupId = buffer.getLong(start + OFFSET_CGROUP_ID);
    int cap = buffer.getInt(start + OFFSET_CAP);
    int verdict = buffer.get(start + OFFSET_VERDICT);
    int audit = buffer.get(start + OFFSET_AUDIT);
    int level = Byte.toUnsignedInt(buffer.get(start + OFFSET_USERNS_LEVEL));
    Origin origin = origin(buffer.get(start + OFFSET_ORIGIN));
    return new CountKey(
        cgroupId, cap, verdict != 0, flag(audit), level, origin, DenyClass.ofVerdict(verdict));
  }

  void write(ByteBuffer buffer) {
    int start = buffer.position();
    buffer.putLong(start + OFFSET_CGROUP_ID, cgroupId);
    buffer.putInt(start + OFFSET_CAP, capability);
    buffer.put(start + OFFSET_VERDICT, (byte) DenyClass.verdict(denied, denyClass));
    buffer.put(start + OFFSET_AUDIT, (byte) audit.ordinal());
    buffer.put(start + OFFSET_USERNS_LEVEL, (byte) usernsLevel);
    buffer.put(start + OFFSET_ORIGIN, (byte) origin.ordinal());
    buffer.position(start + SIZE);
  }
}
