package io.capabilityexporter.probe;

/** {@code enum audit_mode} in bpf/capable.h. */
public enum AuditMode {
  /** The frame layout the program learns, the stack scan where it does not match. */
  FIXED_SLOTS,
  /** The stack scan for every check: the slower derivation, as a reference. */
  SCAN_ONLY,
  /** Both for every check, disagreements counted in {@link Stat#AUDIT_DISAGREED}. */
  VERIFY
}
