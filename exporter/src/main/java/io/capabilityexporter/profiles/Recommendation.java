package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.ContainerGrants;
import java.util.List;
import java.util.TreeSet;

/**
 * The least-privilege {@code securityContext.capabilities} a container's profile implies: {@code
 * drop: [ALL]}, then add back every capability it was seen using. With ALL dropped even the
 * runtime's defaults are gone, so a used CHOWN must be added too.
 *
 * @param add every capability checked with audit, allowed or denied, by name
 * @param denied those of {@code add} the kernel denied: the program failed for want of them, so add
 *     them, or fix the program
 * @param unusedGrants granted by the spec's {@code capabilities.add} but never checked: drop them
 * @param privileged the spec says {@code privileged: true}, which grants everything: set it false
 * @param grantsKnown whether the pod spec was seen; if not, {@code unusedGrants} is empty for want
 *     of knowing
 * @param baseline how {@code drop: [ALL], add: add} fares against the baseline Pod Security
 *     Standard
 * @param restricted and against the restricted one
 */
public record Recommendation(
    List<String> add,
    List<String> denied,
    List<String> unusedGrants,
    boolean privileged,
    boolean grantsKnown,
    PodSecurity.Verdict baseline,
    PodSecurity.Verdict restricted) {

  public Recommendation {
    add = List.copyOf(add);
    denied = List.copyOf(denied);
    unusedGrants = List.copyOf(unusedGrants);
  }

  /** What {@code container} needs, from what it used and what its spec grants. */
  public static Recommendation of(ContainerProfile container) {
    TreeSet<String> add = new TreeSet<>();
    TreeSet<String> denied = new TreeSet<>();
    for (CapabilityUse use : container.capabilities()) {
      if (use.allowed() > 0 || use.denied() > 0) {
        add.add(use.capability());
      }
      if (use.denied() > 0) {
        denied.add(use.capability());
      }
    }
    ContainerGrants granted = container.granted();
    TreeSet<String> unused = new TreeSet<>();
    if (granted != null) {
      unused.addAll(granted.added());
      unused.removeAll(add);
    }
    List<String> adds = List.copyOf(add);
    return new Recommendation(
        adds,
        List.copyOf(denied),
        List.copyOf(unused),
        granted != null && granted.privileged(),
        granted != null,
        PodSecurity.baseline(adds),
        PodSecurity.restricted(adds));
  }
}
