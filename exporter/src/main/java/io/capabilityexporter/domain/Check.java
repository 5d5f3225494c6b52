package io.capabilityexporter.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

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
 * @param denyClass for a deny, what the program did about it; {@link DenyClass#NONE} otherwise
 */
public record Check(
    int capability, boolean denied, Flag audit, int usernsLevel, DenyClass denyClass) {
  public Check {
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(denyClass, "denyClass");
    if (!denied && denyClass != DenyClass.NONE) {
      throw new IllegalArgumentException("an allowed check has no deny class");
    }
  }

  /** A check nothing more is known of than its verdict. */
  public Check(int capability, boolean denied, Flag audit, int usernsLevel) {
    this(capability, denied, audit, usernsLevel, DenyClass.NONE);
  }

  /**
   * Against a user namespace the workload made itself, deeper than its containers' own (the host's
   * for an ordinary pod, the pod's for {@code hostUsers: false}): not a use of the capabilities the
   * container was granted.
   *
   * @param pod the check's pod, asked for only when the depth alone cannot tell; empty outside
   *     Kubernetes or while unknown
   */
  public boolean nestedUserNs(Supplier<Optional<PodFacts>> pod) {
    // Depth 0 is the host's, 2 and deeper are always the workload's own: only 1 needs the pod.
    return usernsLevel == 1 ? pod.get().map(PodFacts::usernsLevel).orElse(0) < 1 : usernsLevel > 1;
  }
}
