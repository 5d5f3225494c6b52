package io.capabilityexporter.domain;

/**
 * Whose check it is: the workload's own programs, or its container runtime's while it set the
 * container up or entered it for an exec, before the workload's program ran (docs/runtime.md). Only
 * the workload's say what the container needs: the runtime's are counted apart and never judged.
 * The order is that of {@code enum origin} in bpf/capable.h.
 */
public enum Origin {
  WORKLOAD,
  RUNTIME,
  /**
   * Check events only: made by a host process entering namespaces or mounting, whose checks the
   * kernel holds until it knows whose they are. Counted as the runtime's of the container the
   * process then enters, or else as its own.
   */
  HELD;

  /** As check events write it: {@code workload}, {@code runtime} or {@code held}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
