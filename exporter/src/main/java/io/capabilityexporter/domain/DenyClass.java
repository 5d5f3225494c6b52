package io.capabilityexporter.domain;

/**
 * What the kernel shows a program did about a deny (bpf/denies.bpf.h). The order is that of {@code
 * enum verdict} in bpf/capable.h from VERDICT_DENY on.
 */
public enum DenyClass {
  /** Not a deny, or a deny nothing more is known of: the program went on without the capability. */
  NONE,
  /**
   * The kernel checked its alternative capability next, in the same call, and allowed it
   * (DAC_READ_SEARCH then DAC_OVERRIDE for a directory, BPF then SYS_ADMIN, ...): the deny failed
   * nothing.
   */
  FALLBACK,
  /**
   * A set*id to root, refused to a task that had given root up: a daemon making sure it cannot get
   * root back. The deny is the program's success.
   */
  DROP_CHECK,
  /**
   * The process exited failing (a status other than 0, not killed by a signal) with no audited
   * check after the deny: cut short by it.
   */
  BEFORE_EXIT;

  /** Denies a program makes on purpose or the kernel makes on its own way: never unexpected. */
  public boolean byDesign() {
    return this == FALLBACK || this == DROP_CHECK;
  }

  /** As check events write it: {@code fallback}, {@code drop_check}, {@code before_exit}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code enum verdict}: 0 allow, 1 deny, 2 fallback, 3 drop check, 4 before exit. */
  public static DenyClass ofVerdict(int verdict) {
    return verdict >= 1 && verdict <= 4 ? values()[verdict - 1] : NONE;
  }

  /** The verdict byte of a check: 0 for an allow. */
  public static int verdict(boolean denied, DenyClass denyClass) {
    return denied ? denyClass.ordinal() + 1 : 0;
  }
}
