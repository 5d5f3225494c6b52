package io.capabilityexporter.domain;

import java.util.Objects;

/**
 * One kind of capability check, what the policy judges and a series counts: which capability, the
 * kernel's verdict, whether it audits, and which user namespace it was against.
 *
 * @param capability capability number, as in linux/capability.h ({@code 21} is SYS_ADMIN)
 * @param denied the check failed
 * @param audit whether the kernel audits the check; {@link Flag#NO} for a {@code *_noaudit} probe
 * @param usernsLevel depth of the user namespace the check was against when the caller is inside it
 *     or owns it: 1 for one made under the host's (a pod with {@code hostUsers: false}, or a
 *     workload's own), and so on; else 0 (the host's, or one reached with an ancestor's
 *     capabilities)
 */
public record Check(int capability, boolean denied, Flag audit, int usernsLevel) {
  public Check {
    Objects.requireNonNull(audit, "audit");
  }
}
