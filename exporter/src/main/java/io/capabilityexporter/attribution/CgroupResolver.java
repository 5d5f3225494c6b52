package io.capabilityexporter.attribution;

import io.capabilityexporter.domain.Workload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, at each scrape, what a cgroup's counts are counted under: its workload, or nothing yet
 * (a pod's container the API server has not described: the counts wait, uncounted, for up to the
 * grace period, or as long as the API server is away), or {@link Workload#UNKNOWN} once waiting is
 * over. Counts each cgroup that ends under "(unknown)" once. Not thread-safe: one scrape at a time.
 */
public final class CgroupResolver {
  private final Attributor attributor;
  private final long graceNanos;
  private final Map<String, Counter> failures = new HashMap<>();
  private final Map<Long, Long> unresolvedSince = new HashMap<>();

  /** Cgroups counted under (unknown) whose counts the kernel still holds: bounded by it. */
  private final Set<Long> unknown = new HashSet<>();

  public CgroupResolver(Attributor attributor, Duration grace, MeterRegistry registry) {
    this.attributor = attributor;
    this.graceNanos = grace.toNanos();
    for (String reason : List.of(Attributor.PATH_LOST, Attributor.UNDESCRIBED_POD)) {
      failures.put(
          reason,
          Counter.builder("capability.exporter.attribution.failures")
              .description(
                  "Cgroups whose checks were counted under container=\"(unknown)\", by reason."
                      + " path_lost: the kernel's record of the cgroup never reached the exporter"
                      + " (its cgroup ring was full, see cgroup_changes_dropped_total) and the"
                      + " cgroup was gone before a walk of the tree found it; pod_undescribed: the"
                      + " API server never described its pod within the grace period.")
              .tag("reason", reason)
              .register(registry));
    }
  }

  /**
   * The workload to count {@code cgroupId}'s checks under now; null while they should wait: for the
   * grace period, or as long as the API server is away. A released cgroup waits too (its counts
   * stay in the kernel, bounded by the kernel's maps): a Job's pod may be described late.
   */
  public Workload resolve(long cgroupId, long now) {
    Optional<Workload> workload = attributor.attribute(cgroupId);
    if (workload.isPresent()) {
      unresolvedSince.remove(cgroupId);
      return workload.get();
    }
    if (unknown.contains(cgroupId)) {
      return Workload.UNKNOWN; // its grace period ran out before: no second wait
    }
    long since = unresolvedSince.computeIfAbsent(cgroupId, id -> now);
    if (now - since < graceNanos || attributor.worthWaitingFor(cgroupId)) {
      return null;
    }
    unresolvedSince.remove(cgroupId);
    if (unknown.add(cgroupId)) { // once a cgroup, not once a scrape
      failures
          .getOrDefault(attributor.whyUnattributed(cgroupId), failures.get(Attributor.PATH_LOST))
          .increment();
    }
    return Workload.UNKNOWN;
  }

  /** Whether the kernel has released the cgroup, as far as attribution knows. */
  public boolean isGone(long cgroupId) {
    return attributor.isGone(cgroupId);
  }

  /** The cgroups of the kernel's counts at a read: their names stay while they are counted. */
  public void stillCounted(Set<Long> cgroupIds) {
    attributor.stillCounted(cgroupIds);
  }

  /** The cgroup's counts have left the kernel for good. */
  public void forget(long cgroupId) {
    unresolvedSince.remove(cgroupId);
    unknown.remove(cgroupId);
    attributor.forget(cgroupId);
  }
}
