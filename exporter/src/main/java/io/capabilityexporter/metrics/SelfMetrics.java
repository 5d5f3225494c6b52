package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.Stat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The exporter's own metrics, under {@code capability_exporter_}: what it runs, and everything that
 * could make the counts less than whole.
 */
public final class SelfMetrics {
  // Prometheus shows the HELP of the first meter registered under a name: this one's.
  private static final String EVENTS_DROPPED =
      "Check events not delivered, by reason. ring_full: the kernel's ring buffer was full;"
          + " repeats_lost: repeats a CPU held found their event's entry gone (never expected);"
          + " otlp_queue_full, otlp_export_failed: see the OTLP exporter. The counters still"
          + " count the checks.";

  private SelfMetrics() {}

  public static void register(
      MeterRegistry registry, String version, Probe probe, CheckCounters counters) {
    Gauge.builder("capability.exporter.build.info", () -> 1)
        .description("The exporter's version and the Java that runs it.")
        .tag("version", version)
        .tag("javaversion", System.getProperty("java.version"))
        .register(registry);
    ProgramCostMetrics.register(registry, probe);
    Gauge.builder("capability.exporter.hook.attached", () -> 1)
        .description("The kernel hook the BPF program is attached to.")
        .tag("hook", probe.hook().label())
        .tag("audit_known", Boolean.toString(probe.auditKnown()))
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.checks.unattributed", probe, p -> p.stat(Stat.COUNTS_MAP_FULL))
        .description(
            "Checks counted without their cgroup (container=\"(overflow)\") because the kernel"
                + " counts map was full. Raise --bpf.counts-max-entries.")
        .tag("reason", "counts_map_full")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.checks.skipped", probe, p -> p.stat(Stat.FOREIGN_CRED))
        .description(
            "Checks not counted because they were about credentials other than the caller's"
                + " (overridden creds, as in overlayfs copy-up, or another task's).")
        .tag("reason", "foreign_cred")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.audit.unknown", probe, p -> p.stat(Stat.STACK_UNAVAILABLE))
        .description(
            "Checks whose audit flag could not be derived: cap_capable was not found on the"
                + " kernel stack (tp_btf hook only).")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.events.dropped", probe, p -> p.stat(Stat.RING_FULL))
        .description(EVENTS_DROPPED)
        .tag("reason", "ring_full")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.events.dropped", probe, p -> p.stat(Stat.REPEATS_LOST))
        .description(EVENTS_DROPPED)
        .tag("reason", "repeats_lost")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.cgroup.changes.dropped", probe, p -> p.stat(Stat.CGROUP_RING_FULL))
        .description(
            "Cgroups made or released whose path the kernel could not send (its cgroup ring was"
                + " full): the exporter walks the cgroup tree once to catch up.")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.audit.scanned", probe, p -> p.stat(Stat.AUDIT_SCANNED))
        .description(
            "Checks whose audit flag took the slow way, a scan of the kernel stack, because the"
                + " frame layout learned from earlier checks did not match (tp_btf hook only). A"
                + " few at start; a steady rate means this kernel's layout is not learned.")
        .register(registry);
    String unmarked =
        "Checks the runtime boundary could not place right, by reason. unmarked: a process a"
            + " container runtime placed found no room for its mark, so its checks were counted as"
            + " the workload's; unheld: a check of a runtime entering a container found no room to"
            + " wait for the container's cgroup, so it was counted as the runtime's where made.";
    FunctionCounter.builder(
            "capability.exporter.runtime.boundary.misses", probe, p -> p.stat(Stat.UNMARKED))
        .description(unmarked)
        .tag("reason", "unmarked")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.runtime.boundary.misses", probe, p -> p.stat(Stat.UNHELD))
        .description(unmarked)
        .tag("reason", "unheld")
        .register(registry);
    FunctionCounter.builder(
            "capability.exporter.denies.unclassified", probe, p -> p.stat(Stat.UNCLASSED))
        .description(
            "Audited denies the kernel could not hold to classify (a fallback, a privilege-drop"
                + " check, a deny before exit) because their thread's slot was taken: counted as"
                + " plain denies at once.")
        .register(registry);
    Gauge.builder("capability.exporter.map.entries", counters, CheckCounters::spillEntries)
        .description("Entries in a kernel map at the last scrape.")
        .tag("map", "counts")
        .register(registry);
    Gauge.builder("capability.exporter.map.entries", counters, CheckCounters::slotsHeld)
        .description("Entries in a kernel map at the last scrape.")
        .tag("map", "cgroup_counts")
        .register(registry);
    Gauge.builder("capability.exporter.map.capacity", probe, Probe::countsCapacity)
        .description("Maximum entries of a kernel map.")
        .tag("map", "counts")
        .register(registry);
    Gauge.builder("capability.exporter.map.capacity", probe, Probe::cgroupSlots)
        .description("Maximum entries of a kernel map.")
        .tag("map", "cgroup_counts")
        .register(registry);
    for (String map : Probe.MAPS) {
      Gauge.builder("capability.exporter.map.memory", probe, p -> p.mapMemoryBytes(map))
          .description("Kernel memory charged to a kernel map.")
          .baseUnit("bytes")
          .tag("map", map)
          .register(registry);
    }
  }
}
