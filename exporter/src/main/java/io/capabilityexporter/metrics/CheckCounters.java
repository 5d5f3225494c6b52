package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.expected.Expectations;
import io.capabilityexporter.probe.Count;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.CountSource;
import io.capabilityexporter.probe.Counts;
import io.capabilityexporter.probe.ProbeException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Feeds {@code capability_checks_total} from the kernel's counts at scrape time: each refresh adds
 * to every series what the kernel counted since the last one, so the counters stay exact and Java
 * does no work per check. One refresh takes each cgroup's counts through four small parts: the
 * {@link CgroupLifecycle} names the cgroup once (its labels, or wait) and says whether this is its
 * last read; {@link KernelTotals} turns totals into deltas; {@link CheckSeries} adds them under the
 * labels; {@link SeriesRetirement} says when a gone workload's series leave.
 *
 * <pre>
 * capability_checks_total{capability="SYS_CHROOT",container="/demo",expected="false",
 *     namespace="",pod="",verdict="deny"} 1000
 * capability_runtime_checks_total{capability="SYS_ADMIN",container="web",namespace="",pod="",
 *     verdict="allow"} 95
 * </pre>
 */
public final class CheckCounters {
  private final CountSource probe;
  private final Expectations expectations;
  private final LongSupplier nanoClock;
  private final KernelTotals totals = new KernelTotals();
  private final CgroupLifecycle cgroups;
  private final CheckSeries series = new CheckSeries(CheckSeries.WORKLOAD);
  private final CheckSeries runtimeSeries = new CheckSeries(CheckSeries.RUNTIME);
  private final SeriesRetirement retirement;
  private final HeapReturn heap = new HeapReturn();

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
    this.expectations = expectations;
    this.nanoClock = nanoClock;
    this.cgroups = new CgroupLifecycle(probe, resolver);
    this.retirement = new SeriesRetirement(seriesGrace.toNanos());
  }

  /** Reads the kernel's counts and brings every series up to date. */
  public synchronized void refresh() throws ProbeException {
    Counts counts = probe.readCounts();
    spillEntries = counts.spillEntries();
    slotsHeld = counts.slotsHeld();
    long now = nanoClock.getAsLong();
    Map<Long, List<Count>> byCgroup = new HashMap<>();
    for (Count count : counts.counts()) {
      byCgroup.computeIfAbsent(count.key().cgroupId(), id -> new ArrayList<>()).add(count);
    }
    byCgroup.forEach(
        (cgroupId, cgroupCounts) ->
            fold(cgroupId, cgroupCounts, counts.departed().contains(cgroupId), now));
    cgroups.stillCounted(byCgroup.keySet());
    Set<Workload> retired = retirement.retire(now);
    int removed = series.remove(retired) + runtimeSeries.remove(retired);
    heap.seriesRemoved(removed, now);
  }

  /** The cgroup is named once; from there on its counts go by their labels. */
  private void fold(long cgroupId, List<Count> counts, boolean departed, long now) {
    if (cgroupId == CountKey.NO_CGROUP) {
      add(Workload.OVERFLOW, counts); // shared by many cgroups: these series stay
      return;
    }
    CgroupLifecycle.Read read = cgroups.read(cgroupId, departed, now);
    Workload workload = read.workload();
    if (workload == null) {
      return; // not attributable yet: the kernel keeps counting, nothing is lost
    }
    add(workload, counts);
    if (!workload.equals(Workload.UNKNOWN)) { // shared by many cgroups: its series stay
      retirement.read(workload, cgroupId, read.last(), now);
    }
    if (read.last()) {
      counts.forEach(count -> totals.forget(count.key()));
      cgroups.release(cgroupId);
    }
  }

  private void add(Workload workload, List<Count> counts) {
    for (Count count : counts) {
      CountKey key = count.key();
      long delta = totals.delta(key, count.total());
      if (delta <= 0) {
        continue;
      }
      if (key.origin() == Origin.RUNTIME) {
        runtimeSeries.add(workload, key.capability(), key.denied(), false, delta);
      } else {
        series.add(
            workload,
            key.capability(),
            key.denied(),
            expectations.expected(workload, key.check()),
            delta);
      }
    }
  }

  /** Appends {@code capability_checks_total} and {@code capability_runtime_checks_total}. */
  void write(OutputStream out, boolean openMetrics) throws IOException {
    series.write(out, openMetrics);
    runtimeSeries.write(out, openMetrics);
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
