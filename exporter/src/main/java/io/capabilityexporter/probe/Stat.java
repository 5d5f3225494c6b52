package io.capabilityexporter.probe;

/** Indexes of the kernel's {@code stats} array: {@code enum stat} in bpf/capable.h. */
public enum Stat {
  /** A new key found the counts map full; the check was counted without its cgroup. */
  COUNTS_MAP_FULL(0),
  /** The check was about credentials other than the caller's own, so it was not counted. */
  FOREIGN_CRED(1),
  /** tp_btf: the kernel stack was unavailable, so the check's audit flag is unknown. */
  STACK_UNAVAILABLE(2),
  /** A check event found the ring buffer full and was not sent (the counters still count it). */
  RING_FULL(3),
  /** A cgroup made or released found the cgroup ring full: its path was not sent. */
  CGROUP_RING_FULL(4),
  /**
   * tp_btf, {@link AuditMode#VERIFY} only: checks whose audit flag came from the learned frame
   * layout (the fast way); not counted otherwise, to keep the fast way fast.
   */
  AUDIT_FIXED(5),
  /** tp_btf: checks whose audit flag came from a scan of the stack (no layout matched). */
  AUDIT_SCANNED(6),
  /** {@link AuditMode#VERIFY}: checks where the fast and the slow derivation disagreed. */
  AUDIT_DISAGREED(7),
  /**
   * tp_btf: frame layouts learned, one per way the kernel dispatches to the program (two at most).
   */
  LAYOUTS_LEARNED(8),
  /**
   * A process the runtime boundary should have marked as the runtime's found no room: its checks
   * were counted as the workload's.
   */
  UNMARKED(9),
  /**
   * A check of a runtime entering a container for an exec found no room to wait for the container's
   * cgroup: counted as the runtime's, in the cgroup it was made in.
   */
  UNHELD(10),
  /**
   * An audited deny found its thread's slot taken, so what the program did about it is not known:
   * counted as a plain deny at once.
   */
  UNCLASSED(11),
  /**
   * Repeats a CPU had cached found their tuple's fold entry gone, so no event reports them (never
   * seen: the flush takes every CPU's cache before it deletes an entry).
   */
  REPEATS_LOST(12);

  static final int SLOTS = 13;

  final int index;

  Stat(int index) {
    this.index = index;
  }
}
