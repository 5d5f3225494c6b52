package io.capabilityexporter.probe;

import java.util.List;

/**
 * @param countsCapacity max entries of the kernel's spill hash ({@code counts})
 * @param hooks the hooks to try, best first
 * @param cgroupSlots slots of the per-cgroup counter blocks, a power of two: cgroups that find
 *     theirs taken are counted in the spill hash, exactly but slower
 * @param auditMode how the tp_btf program derives the audit flag (tests force the others)
 * @param cgroupRingBytes size of the kernel's ring of cgroups made and released
 */
public record ProbeOptions(
    int countsCapacity,
    List<Hook> hooks,
    EventOptions events,
    int cgroupSlots,
    AuditMode auditMode,
    boolean directLoads,
    int cgroupRingBytes) {
  /** Entries of the spill hash: the counts of cgroups that find their slot taken. */
  public static final int DEFAULT_COUNTS_CAPACITY = 16384;

  /** 1024 slots: 2.3 MiB of kernel memory. */
  public static final int DEFAULT_CGROUP_SLOTS = 1024;

  /** 65,536 slots: 148 MiB, more than any node needs. */
  public static final int MAX_CGROUP_SLOTS = 1 << 16;

  /** 4 MiB: some 7,000 cgroup paths of 500 bytes, while the reader is starved of CPU. */
  public static final int DEFAULT_CGROUP_RING_BYTES = 4 << 20;

  public ProbeOptions {
    if (cgroupSlots <= 0 || cgroupSlots > MAX_CGROUP_SLOTS || Integer.bitCount(cgroupSlots) != 1) {
      throw new IllegalArgumentException(
          "cgroup slots must be a power of two up to " + MAX_CGROUP_SLOTS + ": " + cgroupSlots);
    }
    if (cgroupRingBytes < 4096 || Integer.bitCount(cgroupRingBytes) != 1) {
      throw new IllegalArgumentException(
          "the cgroup ring must be a power of two of at least 4096 bytes: " + cgroupRingBytes);
    }
  }

  public ProbeOptions(int countsCapacity, List<Hook> hooks, EventOptions events) {
    this(
        countsCapacity,
        hooks,
        events,
        DEFAULT_CGROUP_SLOTS,
        AuditMode.FIXED_SLOTS,
        true,
        DEFAULT_CGROUP_RING_BYTES);
  }

  public static ProbeOptions defaults() {
    return new ProbeOptions(DEFAULT_COUNTS_CAPACITY, List.of(Hook.values()), EventOptions.OFF);
  }

  public ProbeOptions withEvents(EventOptions events) {
    return new ProbeOptions(
        countsCapacity, hooks, events, cgroupSlots, auditMode, directLoads, cgroupRingBytes);
  }

  public ProbeOptions withAuditMode(AuditMode mode) {
    return new ProbeOptions(
        countsCapacity, hooks, events, cgroupSlots, mode, directLoads, cgroupRingBytes);
  }

  public ProbeOptions withCgroupSlots(int slots) {
    return new ProbeOptions(
        countsCapacity, hooks, events, slots, auditMode, directLoads, cgroupRingBytes);
  }

  public ProbeOptions withCgroupRing(int bytes) {
    return new ProbeOptions(
        countsCapacity, hooks, events, cgroupSlots, auditMode, directLoads, bytes);
  }

  /**
   * Without the fast ways that need {@code bpf_rdonly_cast(ptr, 0)} (Linux 6.17+): the audit flag
   * by scanning the stack, the syscall number by a helper. Tried on its own when the fast program
   * does not load; tests force it.
   */
  public ProbeOptions withoutDirectLoads() {
    return new ProbeOptions(
        countsCapacity, hooks, events, cgroupSlots, auditMode, false, cgroupRingBytes);
  }
}
