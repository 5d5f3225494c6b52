package io.capabilityexporter.metrics;

import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProgramCost;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * What watching costs the node, as ebpf_exporter and Tetragon export theirs: each of the exporter's
 * BPF programs' run time, runs and recursion misses, from the kernel's own books (read once a
 * scrape, not per meter), and whether the kernel keeps the run time at all ({@code
 * kernel.bpf_stats_enabled}: off by default, since timing each run costs some 20 ns).
 */
final class ProgramCostMetrics {
  static final Path STATS_ENABLED = Path.of("/proc/sys/kernel/bpf_stats_enabled");

  /** A scrape reads the programs' books once, however many meters ask. */
  private static final long FRESH_NANOS = 500_000_000L;

  private final Probe probe;
  private final Map<String, ProgramCost> last = new ConcurrentHashMap<>();
  private long readAt = Long.MIN_VALUE;

  private ProgramCostMetrics(Probe probe) {
    this.probe = probe;
  }

  static void register(MeterRegistry registry, Probe probe) {
    ProgramCostMetrics costs = new ProgramCostMetrics(probe);
    List<ProgramCost> now = probe.programCosts();
    for (ProgramCost cost : now) {
      String program = cost.program();
      counter(
          registry,
          costs,
          "capability.exporter.bpf.program.run.seconds",
          program,
          c -> c.runTimeNanos() / 1e9,
          "Time the kernel spent running this BPF program of the exporter's; grows only while"
              + " kernel.bpf_stats_enabled=1 (see capability_exporter_bpf_stats_enabled).");
      counter(
          registry,
          costs,
          "capability.exporter.bpf.program.runs",
          program,
          c -> (double) c.runs(),
          "Runs of this BPF program of the exporter's (a capability check, a fork, an exec...);"
              + " counted only while kernel.bpf_stats_enabled=1.");
      counter(
          registry,
          costs,
          "capability.exporter.bpf.program.recursion.misses",
          program,
          c -> (double) c.recursionMisses(),
          "Runs the kernel skipped because the program was already running on that CPU: checks"
              + " not counted.");
    }
    Gauge.builder("capability.exporter.bpf.stats.enabled", ProgramCostMetrics::statsEnabled)
        .description(
            "1 when the kernel times BPF programs (sysctl kernel.bpf_stats_enabled=1), so that"
                + " capability_exporter_bpf_program_run_seconds_total grows; 0 when not; -1 when"
                + " unknown.")
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      ProgramCostMetrics costs,
      String name,
      String program,
      ToDoubleFunction<ProgramCost> value,
      String description) {
    // Micrometer holds the object it is given weakly: the probe, which the exporter holds; the
    // books are held by the function, which the meter holds.
    FunctionCounter.builder(
            name,
            costs.probe,
            probe -> {
              ProgramCost cost = costs.cost(program);
              return cost == null ? 0 : value.applyAsDouble(cost);
            })
        .description(description)
        .tag("program", program)
        .register(registry);
  }

  private synchronized ProgramCost cost(String program) {
    long now = System.nanoTime();
    if (readAt == Long.MIN_VALUE || now - readAt > FRESH_NANOS) {
      for (ProgramCost cost : probe.programCosts()) {
        last.put(cost.program(), cost);
      }
      readAt = now;
    }
    return last.get(program);
  }

  static double statsEnabled() {
    try {
      byte[] value = Files.readAllBytes(STATS_ENABLED);
      String text = new String(value, 0, Math.min(value.length, 8), StandardCharsets.US_ASCII);
      return switch (text.strip()) {
        case "1" -> 1;
        case "0" -> 0;
        default -> -1;
      };
    } catch (IOException | SecurityException e) {
      return -1;
    }
  }
}
