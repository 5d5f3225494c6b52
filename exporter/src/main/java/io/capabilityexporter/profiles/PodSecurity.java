package io.capabilityexporter.profiles;

import java.util.List;
import java.util.Set;

/**
 * The Pod Security Standards' rules on capabilities
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/): baseline allows adding
 * only the runtime's usual defaults and forbids {@code privileged}; restricted also requires
 * dropping ALL and allows adding only NET_BIND_SERVICE.
 */
public final class PodSecurity {
  /** Baseline's "Capabilities" control, as of Kubernetes 1.33. */
  static final Set<String> BASELINE_ADDS =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  static final Set<String> RESTRICTED_ADDS = Set.of("NET_BIND_SERVICE");

  /**
   * Whether a securityContext fits a profile, and if not, the capabilities that break it.
   *
   * @param offending in the order of the add list
   */
  public record Verdict(boolean allowed, List<String> offending) {
    public Verdict {
      offending = List.copyOf(offending);
    }
  }

  private PodSecurity() {}

  /** {@code drop: [ALL]} and {@code add}: baseline checks only the adds. */
  public static Verdict baseline(List<String> add) {
    return verdict(add, BASELINE_ADDS);
  }

  /** {@code drop: [ALL]} and {@code add}: restricted allows NET_BIND_SERVICE alone. */
  public static Verdict restricted(List<String> add) {
    return verdict(add, RESTRICTED_ADDS);
  }

  private static Verdict verdict(List<String> add, Set<String> allowed) {
    List<String> offending = add.stream().filter(cap -> !allowed.contains(cap)).toList();
    return new Verdict(offending.isEmpty(), offending);
  }
}
