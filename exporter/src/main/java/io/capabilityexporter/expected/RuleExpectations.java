package io.capabilityexporter.expected;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.domain.Workload;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code expected} label by six rules (docs/configuration.md, "Expected and unexpected"): a
 * check is expected when
 *
 * <ol>
 *   <li>the policy file covers it;
 *   <li>its pod's {@value ExpectedAnnotation#NAME} annotation lists the capability;
 *   <li>it was allowed, and its container's spec grants the capability ({@code
 *       securityContext.capabilities.add}, {@code ALL} included, or {@code privileged: true});
 *   <li>the kernel asked without auditing;
 *   <li>it was against a user namespace the workload made itself, deeper than the container's own
 *       (the host's for an ordinary pod, the pod's for {@code hostUsers: false}): not a use of the
 *       capabilities the container was granted;
 *   <li>it was a deny by design: the kernel's fallback to the capability it tried next, which it
 *       allowed, or a daemon's check, having given root up, that it cannot get root back.
 * </ol>
 *
 * Called once per series that moved, at scrape time; the pod is looked up at most once a call, and
 * not at all for a noaudit check, a check outside a pod, or one a rule without a selector covers.
 */
public final class RuleExpectations implements Expectations {
  private final Supplier<Policy> policy;
  private final PodLookup pods;

  /**
   * @param policy the current policy, asked at every call so that a reload takes effect at the next
   *     scrape: a {@link PolicyReloader}, or {@code () -> Policy.EMPTY} without {@code --config}
   * @param pods {@link PodLookup#NONE} outside Kubernetes
   */
  public RuleExpectations(Supplier<Policy> policy, PodLookup pods) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pods = Objects.requireNonNull(pods, "pods");
  }

  @Override
  public boolean expected(Workload workload, Check check) {
    if (check.audit() == Flag.NO || check.denyClass().byDesign()) {
      return true; // rules 4 and 6
    }
    Pod pod = new Pod(workload);
    if (check.nestedUserNs(pod)) {
      return true; // a user namespace the workload made: rule 5
    }
    if (policy.get().covers(workload, check, pod)) {
      return true;
    }
    Optional<PodFacts> facts = pod.get();
    if (facts.isEmpty()) {
      return false;
    }
    String annotation = facts.get().annotations().get(ExpectedAnnotation.NAME);
    if (annotation != null && ExpectedAnnotation.lists(annotation, check.capability())) {
      return true;
    }
    return !check.denied()
        && grants(
            facts.get().granted(workload.container()).orElse(ContainerGrants.NONE),
            check.capability());
  }

  /** containerd and CRI-O read {@code add: [ALL]} as every capability, as privileged does. */
  private static boolean grants(ContainerGrants grants, int capability) {
    return grants.privileged()
        || grants.added().contains("ALL")
        || grants.added().contains(Capability.name(capability));
  }

  /** The check's pod, looked up once, on first use; none outside Kubernetes. */
  private final class Pod implements Supplier<Optional<PodFacts>> {
    private final Workload workload;
    private Optional<PodFacts> facts;

    Pod(Workload workload) {
      this.workload = workload;
    }

    @Override
    public Optional<PodFacts> get() {
      if (facts == null) {
        facts =
            workload.pod().isEmpty()
                ? Optional.empty()
                : pods.pod(workload.namespace(), workload.pod());
      }
      return facts;
    }
  }
}
