package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.Workload;
import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Feeds {@code capability_checks_total} from the kernel's counts at scrape time: each refresh
 * adds to every series what the kernel counted since the last one, so the counters stay exact
 * and Java does no work per check.
 *
 * <pre>
 * capability_checks_total{capability="SYS_CHROOT",container="/demo",expected="false",
 *     namespace="",pod="",verdict="deny"} 1000.0
 * </pre>
 */
public final class CheckCounters {
  static final String NAME = "capability.checks";

  private final CountSource probe;
  private final Attributor attributor;
  private final Expectations expectations;
  private final MeterRegistry registry;
  private final Map<CountKey, Long> lastTotals = new HashMap<>();
  private final Map<Series, Counter> counters = new HashMap<>();
  private final Map<Long, Long> unresolvedSince = new HashMap<>();
  private final long attributionGraceNanos;
  private final LongSupplier nanoClock;
  private final Counter attributionFailures;
  private volatile int kernelEntries;

  private record Series(Workload workload, int capability, boolean denied, boolean expected) {}

  /**
   * @param attributionGrace how long the counts of a cgroup that cannot be attributed yet (one
   *     created since the last look at the cgroup tree, a pod the API server has not described
   *     yet) stay in the kernel, uncounted in Java, before they go to container="(unknown)"
   */
  public CheckCounters(
      CountSource probe,
      Attributor attributor,
      Expectations expectations,
      MeterRegistry registry,
      Duration attributionGrace,
      LongSupplier nanoClock) {
    this.probe = probe;
    this.attributor = attributor;
    this.expectations = expectations;
    this.registry = registry;
    this.attributionGraceNanos = attributionGrace.toNanos();
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
    this(probe, attributor, expectations, registry, Duration.ofMinutes(1), System::nanoTime);
  }

  /** Reads the kernel's counts and brings every series up to date. */
  public synchronized void refresh() throws ProbeException {
    List<Probe.Count> counts = probe.readCounts();
    kernelEntries = counts.size();
    for (Probe.Count count : counts) {
      CountKey key = count.key();
      Workload workload = workloadOf(key);
      if (workload == null) {
        continue; // not attributable yet: the kernel keeps counting, nothing is lost
      }
      long last = lastTotals.getOrDefault(key, 0L);
      // A total below the last one is a key that was forgotten and counted again from zero.
      long delta = count.total() >= last ? count.total() - last : count.total();
      lastTotals.put(key, count.total());
      if (delta > 0) {
        counter(workload, key).increment(delta);
      }
      if (key.cgroupId() != CountKey.NO_CGROUP && attributor.isGone(key.cgroupId())) {
        // Its last total is folded in above; a removed cgroup can check nothing more.
        probe.forget(key);
        lastTotals.remove(key);
      }
    }
  }

  /** Entries in the kernel's counts map at the last refresh. */
  public int kernelEntries() {
    return kernelEntries;
  }

  /** Null while the cgroup cannot be attributed yet and the grace period has not run out. */
  private Workload workloadOf(CountKey key) {
    long cgroupId = key.cgroupId();
    if (cgroupId == CountKey.NO_CGROUP) {
      return Workload.OVERFLOW;
    }
    Optional<Workload> workload = attributor.attribute(cgroupId);
    if (workload.isPresent()) {
      unresolvedSince.remove(cgroupId);
      return workload.get();
    }
    long now = nanoClock.getAsLong();
    long since = unresolvedSince.computeIfAbsent(cgroupId, id -> now);
    if (now - since < attributionGraceNanos && !attributor.isGone(cgroupId)) {
      return null;
    }
    unresolvedSince.remove(cgroupId);
    attributionFailures.increment();
    return Workload.UNKNOWN;
  }

  private Counter counter(Workload workload, CountKey key) {
    Series series =
        new Series(
            workload, key.capability(), key.denied(), expectations.expected(workload, key));
    return counters.computeIfAbsent(
        series,
        s ->
            Counter.builder(NAME)
                .description("Capability checks the kernel made, counted in the kernel.")
                .tag("namespace", s.workload().namespace())
                .tag("pod", s.workload().pod())
                .tag("container", s.workload().container())
                .tag("capability", Capability.name(s.capability()))
                .tag("verdict", s.denied() ? "deny" : "allow")
                .tag("expected", Boolean.toString(s.expected()))
                .register(registry));
  }
}
