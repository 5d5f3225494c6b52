package io.capabilityexporter.events;

/**
 * Why the kernel denied a check, from what the check event carries: cap_capable() allows a
 * capability only if it is in the effective set of a user namespace that owns the target (the
 * credentials' own, or an ancestor of it).
 */
public enum DenyReason {
  /** The capability is not in the effective set: drop it from the process, or grant it. */
  NOT_EFFECTIVE("not_effective", "not in the effective set"),
  /**
   * The capability is in the effective set, but of a user namespace that does not own the target: a
   * process in a user namespace of its own (unshare -U, a rootless container) acting on something
   * the host's namespace owns, such as a mount in the host's mount namespace. Granting it to the
   * container would not help.
   */
  USERNS_NOT_OWNER("userns", "held in a user namespace that does not own the target");

  private final String code;
  private final String description;

  DenyReason(String code, String description) {
    this.code = code;
    this.description = description;
  }

  /**
   * As {@code trace} and the JSON and OTLP fields write it: {@code not_effective}, {@code userns}.
   */
  public String code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** Null for an allowed check. */
  static DenyReason of(boolean denied, int capability, long effectiveCaps) {
    if (!denied) {
      return null;
    }
    boolean effective =
        capability >= 0 && capability < 64 && (effectiveCaps & (1L << capability)) != 0;
    return effective ? USERNS_NOT_OWNER : NOT_EFFECTIVE;
  }
}
