package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.Workload;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Feeds {@code capability_checks_total} from the kernel's counts at scrape time: each refresh adds
 * to every series what the kernel counted since the last one, so the counters stay exact and Java
 * does no work per check.
 *
 * <pre>
 * capability_checks_total{capability="SYS_CHROOT",container="/demo",expected="false",
 *     namespace="",pod="",verdict="deny"} 1000.0
 * </pre>
 */
public final class CheckCounters {
  private final CountSource probe;
  private final Attributor attributor;
  private final Expectations expectations;
  private final Map<CountKey, Long> lastTotals = new HashMap<>();
  private final CheckSeries series;
  private static final long GONE_CHECK_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  private final Map<Long, Long> unresolvedSince = new HashMap<>();
  private final Map<Long, Long> goneChecked = new HashMap<>();

  /** Cgroups counted under (unknown) whose keys are still in the kernel map: bounded by it. */
  private final Set<Long> unknownCgroups = new HashSet<>();

  private final long attributionGraceNanos;
  private final LongSupplier nanoClock;
  private final Counter attributionFailures;
  private volatile int kernelEntries;

  /**
   * @param attributionGrace how long the counts of a cgroup that cannot be attributed yet (one
   *     created since the last look at the cgroup tree, a pod the API server has not described yet)
   *     stay in the kernel, uncounted in Java, before they go to container="(unknown)"
   * @param seriesGrace how long a workload's series stay after its last cgroup is gone
   */
  public record Lifetimes(Duration attributionGrace, Duration seriesGrace) {
    public static Lifetimes defaults() {
      return new Lifetimes(Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
  }

  public CheckCounters(
      CountSource probe,
      Attributor attributor,
      Expectations expectations,
      MeterRegistry registry,
      Lifetimes lifetimes,
      LongSupplier nanoClock) {
    this.probe = probe;
    this.attributor = attributor;
    this.expectations = expectations;
    this.series = new CheckSeries(lifetimes.seriesGrace().toNanos());
    this.attributionGraceNanos = lifetimes.attributionGrace().toNanos();
    this.nanoClock = nanoClock;
    this.attributionFailures =
        Counter.builder("capability.exporter.attribution.failures")
            .description(
                "Times a cgroup's checks were counted under container=\"(unknown)\": the cgroup"
                    + " was gone before it was seen, or stayed unresolvable past the grace period.")
            .tag("reason", "cgroup_unknown")
            .register(registry);
  }

  public CheckCounters(
      CountSource probe, Attributor attributor, Expectations expectations, MeterRegistry registry) {
    this(probe, attributor, expectations, registry, Lifetimes.defaults(), System::nanoTime);
  }

  /** Reads the kernel's counts and brings every series up to date. */
  public synchronized void refresh() throws ProbeException {
    List<Probe.Count> counts = probe.readCounts();
    kernelEntries = counts.size();
    long now = nanoClock.getAsLong();
    Map<Long, List<Probe.Count>> byCgroup = new HashMap<>();
    for (Probe.Count count : counts) {
      byCgroup.computeIfAbsent(count.key().cgroupId(), id -> new ArrayList<>()).add(count);
    }
    byCgroup.forEach((cgroupId, cgroupCounts) -> fold(cgroupId, cgroupCounts, now));
    series.retire(now);
  }

  private void fold(long cgroupId, List<Probe.Count> counts, long now) {
    Workload workload = workloadOf(cgroupId, now);
    if (workload == null) {
      return; // not attributable yet: the kernel keeps counting, nothing is lost
    }
    boolean changed = false;
    for (Probe.Count count : counts) {
      CountKey key = count.key();
      long last = lastTotals.getOrDefault(key, 0L);
      // A total below the last one is a key that was forgotten and counted again from zero.
      long delta = count.total() >= last ? count.total() - last : count.total();
      lastTotals.put(key, count.total());
      if (delta > 0) {
        changed = true;
        series.add(
            workload, key.capability(), key.denied(), expectations.expected(workload, key), delta);
      }
    }
    if (cgroupId == CountKey.NO_CGROUP) {
      return; // shared by many cgroups: these series stay
    }
    if (workload.equals(Workload.UNKNOWN)) {
      // The (unknown) series is shared and stays; a gone cgroup's keys are folded and dropped.
      if (attributor.isGone(cgroupId)) {
        forget(cgroupId, counts);
      }
      return;
    }
    if (changed || !dueForGoneCheck(cgroupId, now)) {
      series.live(workload, cgroupId);
      return;
    }
    if (attributor.isGone(cgroupId)) {
      forget(cgroupId, counts);
      series.gone(workload, cgroupId, now);
    } else {
      series.live(workload, cgroupId);
    }
  }

  /** Its last totals are folded in; a removed cgroup can check nothing more. */
  private void forget(long cgroupId, List<Probe.Count> counts) {
    for (Probe.Count count : counts) {
      probe.forget(count.key());
      lastTotals.remove(count.key());
    }
    goneChecked.remove(cgroupId);
    unknownCgroups.remove(cgroupId);
  }

  /**
   * Whether to ask if an idle cgroup is gone: a cgroup whose counts moved is alive, and an idle one
   * is asked at most every {@link #GONE_CHECK_INTERVAL_NANOS}, so a scrape of thousands of idle
   * cgroups does not stat thousands of directories.
   */
  private boolean dueForGoneCheck(long cgroupId, long now) {
    Long last = goneChecked.get(cgroupId);
    if (last != null && now - last < GONE_CHECK_INTERVAL_NANOS) {
      return false;
    }
    goneChecked.put(cgroupId, now);
    return true;
  }

  /** Appends {@code capability_checks_total} to an exposition. */
  void write(StringBuilder text, boolean openMetrics) {
    series.write(text, openMetrics);
  }

  /** Entries in the kernel's counts map at the last refresh. */
  public int kernelEntries() {
    return kernelEntries;
  }

  /** Null while the cgroup cannot be attributed yet and the grace period has not run out. */
  private Workload workloadOf(long cgroupId, long now) {
    if (cgroupId == CountKey.NO_CGROUP) {
      return Workload.OVERFLOW;
    }
    Optional<Workload> workload = attributor.attribute(cgroupId);
    if (workload.isPresent()) {
      unresolvedSince.remove(cgroupId);
      return workload.get();
    }
    if (unknownCgroups.contains(cgroupId)) {
      return Workload.UNKNOWN; // its grace period ran out before: no second wait
    }
    long since = unresolvedSince.computeIfAbsent(cgroupId, id -> now);
    if ((now - since < attributionGraceNanos || attributor.worthWaitingFor(cgroupId))
        && !attributor.isGone(cgroupId)) {
      return null;
    }
    unresolvedSince.remove(cgroupId);
    if (unknownCgroups.add(cgroupId)) {
      attributionFailures.increment(); // once a cgroup, not once a scrape
    }
    return Workload.UNKNOWN;
  }
}
