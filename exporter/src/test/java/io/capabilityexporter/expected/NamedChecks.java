package io.capabilityexporter.expected;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;

/** Capability checks as the policy judges them, by capability name; against the host's userns. */
final class NamedChecks {
  private NamedChecks() {}

  static Check allowed(String capability) {
    return new Check(number(capability), false, Flag.YES, 0);
  }

  static Check denied(String capability) {
    return new Check(number(capability), true, Flag.YES, 0);
  }

  static Check noaudit(String capability, boolean denied) {
    return new Check(number(capability), denied, Flag.NO, 0);
  }

  static Check auditUnknown(String capability, boolean denied) {
    return new Check(number(capability), denied, Flag.UNKNOWN, 0);
  }

  private static int number(String capability) {
    return Capability.number(capability).orElseThrow();
  }
}
