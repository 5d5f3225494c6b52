package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Feeds {@code capability_checks_total} from the kernel's counts at scrape time: each refresh adds
 * to every series what the kernel counted since the last one, so the counters stay exact and Java
 * does no work per check. Which workload a cgroup's counts belong to, and whether the cgroup is
 * gone, is the attribution's to say ({@link CgroupResolver}); this turns totals into series.
 *
 * <pre>
 * capability_checks_total{capability="SYS_CHROOT",container="/demo",expected="false",
 *     namespace="",pod="",verdict="deny"} 1000
 * </pre>
 */
public final class CheckCounters {
  private final CountSource probe;
  private final CgroupResolver resolver;
  private final Expectations expectations;
  private final Map<CountKey, Long> lastTotals = new HashMap<>();
  private final CheckSeries series;
  private final LongSupplier nanoClock;

  /**
   * Cgroups attribution said were gone at a refresh whose read of the kernel's counts may have come
   * before their release: folded once more at the next refresh, then forgotten.
   */
  private final java.util.Set<Long> goneAfterRead = new java.util.HashSet<>();

  private volatile int spillEntries;
  private volatile int slotsHeld;

  /**
   * @param attributionGrace how long the counts of a cgroup that cannot be attributed yet (a pod
   *     the API server has not described yet) stay in the kernel, uncounted in Java, before they go
   *     to container="(unknown)"
   * @param seriesGrace how long a workload's series stay after its last cgroup is gone
   */
  public record Lifetimes(Duration attributionGrace, Duration seriesGrace) {
    public static Lifetimes defaults() {
      return new Lifetimes(Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
  }

  public CheckCounters(
      CountSource probe,
      CgroupResolver resolver,
      Expectations expectations,
      Duration seriesGrace,
      LongSupplier nanoClock) {
    this.probe = probe;
    this.resolver = resolver;
    this.expectations = expectations;
    this.series = new CheckSeries(seriesGrace.toNanos());
    this.nanoClock = nanoClock;
  }

  /** Reads the kernel's counts and brings every series up to date. */
  public synchronized void refresh() throws ProbeException {
    Probe.Counts counts = probe.readCounts();
    spillEntries = counts.spillEntries();
    slotsHeld = counts.slotsHeld();
    long now = nanoClock.getAsLong();
    Map<Long, List<Probe.Count>> byCgroup = new HashMap<>();
    for (Probe.Count count : counts.counts()) {
      byCgroup.computeIfAbsent(count.key().cgroupId(), id -> new ArrayList<>()).add(count);
    }
    byCgroup.forEach(
        (cgroupId, cgroupCounts) ->
            fold(cgroupId, cgroupCounts, counts.departed().contains(cgroupId), now));
    series.retire(now);
  }

  private void fold(long cgroupId, List<Probe.Count> counts, boolean departed, long now) {
    if (cgroupId == CountKey.NO_CGROUP) {
      add(Workload.OVERFLOW, counts); // shared by many cgroups: these series stay
      return;
    }
    // A departed block was released before this read, so the read holds its final counts. A
    // release attribution knows of may have come after the read: one more refresh, then forget.
    boolean gone = departed || goneAfterRead.contains(cgroupId);
    if (!gone && resolver.isGone(cgroupId)) {
      goneAfterRead.add(cgroupId);
    }
    Workload workload = resolver.resolve(cgroupId, now);
    if (workload == null) {
      return; // not attributable yet: the kernel keeps counting, nothing is lost
    }
    add(workload, counts);
    boolean shared = workload.equals(Workload.UNKNOWN); // its series stay
    if (!gone) {
      if (!shared) {
        series.live(workload, cgroupId);
      }
      return;
    }
    // Its last totals are folded in; a released cgroup can check nothing more.
    for (Probe.Count count : counts) {
      lastTotals.remove(count.key());
    }
    goneAfterRead.remove(cgroupId);
    probe.forget(cgroupId);
    resolver.forget(cgroupId);
    if (!shared) {
      series.gone(workload, cgroupId, now);
    }
  }

  private void add(Workload workload, List<Probe.Count> counts) {
    for (Probe.Count count : counts) {
      CountKey key = count.key();
      long last = lastTotals.getOrDefault(key, 0L);
      // Totals only grow; a lower one is a read that raced a slot being freed: nothing new.
      long delta = Math.max(0, count.total() - last);
      if (delta > 0) {
        lastTotals.put(key, count.total());
        series.add(
            workload,
            key.capability(),
            key.denied(),
            expectations.expected(workload, key.check()),
            delta);
      }
    }
  }

  /** Appends {@code capability_checks_total} to an exposition. */
  void write(StringBuilder text, boolean openMetrics) {
    series.write(text, openMetrics);
  }

  /** Entries in the kernel's spill hash ({@code counts}) at the last refresh. */
  public int spillEntries() {
    return spillEntries;
  }

  /** Slots of the kernel's per-cgroup blocks ({@code cgroup_counts}) held at the last refresh. */
  public int slotsHeld() {
    return slotsHeld;
  }
}
