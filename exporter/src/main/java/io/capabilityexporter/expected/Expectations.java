package io.capabilityexporter.expected;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Workload;

/**
 * Decides the {@code expected} label: whether a check is one the operator declared or the kernel
 * made only to probe (README, "Expected and unexpected").
 */
public interface Expectations {

  boolean expected(Workload workload, Check check);

  /**
   * Rule 4 alone: the kernel asked without auditing (a {@code *_noaudit} probe, such as every
   * mmap's SYS_ADMIN check), so the program does not fail for lack of the capability.
   */
  static Expectations noauditOnly() {
    return (workload, check) -> check.audit() == Flag.NO;
  }
}
