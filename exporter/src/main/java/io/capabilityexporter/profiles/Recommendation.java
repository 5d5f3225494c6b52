package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.ContainerGrants;
import java.util.List;
import java.util.TreeSet;

/**
 * The least-privilege {@code securityContext.capabilities} a container's profile implies: {@code
 * drop: [ALL]}, then add back every capability it was seen using. With ALL dropped even the
 * runtime's defaults are gone, so a used CHOWN must be added too. A capability only tried and coped
 * without is not added: the kernel's fallback to the alternative it then allowed, a daemon's check
 * that it cannot get root back, a deny the program went on from.
 *
 * @param add every capability the kernel allowed, and those it denied right before the process
 *     exited, by name
 * @param denied those of {@code add} the kernel denied right before the process exited: the program
 *     was cut short, so add them and record again (what it does after may need more)
 * @param coped denied, and the program went on without them: not added; grant one only if a feature
 *     you need is missing
 * @param byDesign denied by design and never anything else: the kernel's fallback to an alternative
 *     it allowed, or a check after giving root up that root cannot come back
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
    List<String> coped,
    List<String> byDesign,
    List<String> unusedGrants,
    boolean privileged,
    boolean grantsKnown,
    PodSecurity.Verdict baseline,
    PodSecurity.Verdict restricted) {

  public Recommendation {
    add = List.copyOf(add);
    denied = List.copyOf(denied);
    coped = List.copyOf(coped);
    byDesign = List.copyOf(byDesign);
    unusedGrants = List.copyOf(unusedGrants);
  }

  /** What {@code container} needs, from what it used and what its spec grants. */
  public static Recommendation of(ContainerProfile container) {
    TreeSet<String> add = new TreeSet<>();
    TreeSet<String> denied = new TreeSet<>();
    TreeSet<String> coped = new TreeSet<>();
    TreeSet<String> byDesign = new TreeSet<>();
    for (CapabilityUse use : container.capabilities()) {
      if (use.allowed() > 0 || use.beforeExit() > 0) {
        add.add(use.capability());
      }
      if (use.beforeExit() > 0) {
        denied.add(use.capability());
      }
    }
    for (CapabilityUse use : container.capabilities()) {
      if (add.contains(use.capability())) {
        continue;
      }
      if (use.coped() > 0) {
        coped.add(use.capability());
      } else if (use.fallback() + use.dropChecks() > 0) {
        byDesign.add(use.capability());
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
        List.copyOf(coped),
        List.copyOf(byDesign),
        List.copyOf(unused),
        granted != null && granted.privileged(),
        granted != null,
        PodSecurity.baseline(adds),
        PodSecurity.restricted(adds));
  }
}
