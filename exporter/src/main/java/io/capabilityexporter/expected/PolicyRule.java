package io.capabilityexporter.expected;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.selectors.LabelSelector;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One entry of the policy file's {@code rules}: it covers a check when every field it gives
 * matches.
 *
 * @param name for people; may be empty
 * @param namespaces patterns of which one must match; empty: any namespace, the host's "" included
 * @param pods likewise
 * @param containers likewise; outside Kubernetes a container, systemd unit or cgroup path
 * @param selector labels the pod must have; a rule with one never covers a check outside a known
 *     pod
 * @param capabilities bit n set: capability n; {@link #ANY_CAPABILITY}: any, numbers from 64 up
 *     included
 * @param allow covers allowed checks
 * @param deny covers denied checks
 */
record PolicyRule(
    String name,
    List<Glob> namespaces,
    List<Glob> pods,
    List<Glob> containers,
    Optional<LabelSelector> selector,
    long capabilities,
    boolean allow,
    boolean deny) {

  static final long ANY_CAPABILITY = -1L;

  PolicyRule {
    namespaces = List.copyOf(namespaces);
    pods = List.copyOf(pods);
    containers = List.copyOf(containers);
  }

  /** Cheapest fields first: the pod is looked up only for a rule with a selector. */
  boolean covers(Workload workload, Check check, Supplier<Optional<PodFacts>> pod) {
    return (check.denied() ? deny : allow)
        && coversCapability(check.capability())
        && Glob.anyMatches(namespaces, workload.namespace())
        && Glob.anyMatches(pods, workload.pod())
        && Glob.anyMatches(containers, workload.container())
        && (selector.isEmpty()
            || pod.get().map(facts -> selector.get().matches(facts.labels())).orElse(false));
  }

  private boolean coversCapability(int capability) {
    return capabilities == ANY_CAPABILITY
        || (capability >= 0 && capability < Long.SIZE && (capabilities & (1L << capability)) != 0);
  }
}
