package io.capabilityexporter.expected;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountKey.Audit;

/** Capability checks as the kernel counts them, by capability name. */
final class CountedChecks {
  private static final long CGROUP = 4242;

  private CountedChecks() {}

  static CountKey allowed(String capability) {
    return new CountKey(CGROUP, number(capability), false, Audit.YES);
  }

  static CountKey denied(String capability) {
    return new CountKey(CGROUP, number(capability), true, Audit.YES);
  }

  static CountKey noaudit(String capability, boolean denied) {
    return new CountKey(CGROUP, number(capability), denied, Audit.NO);
  }

  static CountKey auditUnknown(String capability, boolean denied) {
    return new CountKey(CGROUP, number(capability), denied, Audit.UNKNOWN);
  }

  private static int number(String capability) {
    return Capability.number(capability).orElseThrow();
  }
}
