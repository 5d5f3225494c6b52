package io.capabilityexporter.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The BPF side, loaded and attached: counts every capability check in the kernel. Closing it
 * detaches the program and frees its maps.
 *
 * <pre>{@code
 * try (Probe probe = Probe.attach(Probe.Options.defaults())) {
 *   probe.hook();        // TP_BTF on Linux 6.14+
 *   probe.readCounts();  // [CountKey[cgroupId=4711, capability=18, denied=true, audit=YES] = 3, ...]
 * }
 * }</pre>
 */
public final class Probe implements CountSource, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Probe.class.getName());

  private final BpfObject object;
  private final Hook hook;
  private final PerCpuMap counts;
  private final PerCpuMap overflow;
  private final PerCpuMap stats;
  private final int countsFd;
  private final int countsCapacity;
  private final boolean auditKnown;
  private final Libbpf libbpf;
  private final Events events;
  private EventRing ring;

  /**
   * @param countsCapacity max entries of the kernel's counts map
   * @param hooks the hooks to try, best first
   */
  public record Options(int countsCapacity, List<Hook> hooks, Events events) {
    public static Options defaults() {
      return new Options(16384, List.of(Hook.values()), Events.OFF);
    }

    public Options withEvents(Events events) {
      return new Options(countsCapacity, hooks, events);
    }
  }

  /**
   * Check events (trace, OTLP): whether the kernel sends them, how long it folds repeats of one
   * (cgroup, process, capability, verdict, syscall) into one event, the ring buffer's size, and
   * whether events carry kernel stacks.
   */
  public record Events(boolean enabled, Duration window, int ringBytes, boolean stacks) {
    public static final Events OFF = new Events(false, Duration.ofSeconds(1), 4096, false);

    /**
     * 4 MiB: ~40,000 records, 0.4 s of 100,000 events a second; with 1 MiB a reader sharing one
     * core with the producer lost a few hundred of a million (bench/RESULTS.md).
     */
    public static final int DEFAULT_RING_BYTES = 4 << 20;

    public static Events on(Duration window, boolean stacks) {
      return new Events(true, window, DEFAULT_RING_BYTES, stacks);
    }
  }

  /** One row of the counts: {@code total} checks so far with these properties. */
  public record Count(CountKey key, long total) {}

  private Probe(
      BpfObject object, Hook hook, int cpus, Libbpf libbpf, boolean auditKnown, Events events)
      throws ProbeException {
    this.events = events;
    this.object = object;
    this.hook = hook;
    this.auditKnown = auditKnown;
    this.libbpf = libbpf;
    this.countsFd = object.mapFd("counts");
    this.countsCapacity = object.mapCapacity("counts");
    this.counts = new PerCpuMap(libbpf, countsFd, CountKey.SIZE, cpus);
    this.overflow = new PerCpuMap(libbpf, object.mapFd("counts_overflow"), Integer.BYTES, cpus);
    this.stats = new PerCpuMap(libbpf, object.mapFd("stats"), Integer.BYTES, cpus);
  }

  /** Loads and attaches the best hook this kernel offers, or says why none can be. */
  public static Probe attach(Options options) throws ProbeException {
    Libbpf libbpf =
        Preflight.check(Path.of("/proc/self/status"), Path.of("/sys/kernel/btf/vmlinux"));
    LibbpfLog.install(libbpf);
    int cpus = libbpf.libbpf_num_possible_cpus();
    if (cpus <= 0) {
      throw new ProbeException("cannot count possible CPUs: " + Errno.describe(-cpus));
    }
    List<String> failures = new ArrayList<>();
    for (Hook hook : options.hooks()) {
      byte[] config = config(hook, options.events());
      BpfObject object = BpfObject.open(libbpf);
      try {
        object.load(hook, config, options);
        object.attach(hook);
        LibbpfLog.drain();
        boolean auditKnown = hook == Hook.FEXIT || ProbeConfig.enabled(config);
        return new Probe(object, hook, cpus, libbpf, auditKnown, options.events());
      } catch (ProbeException e) {
        object.close();
        failures.add(hook.label() + ": " + e.getMessage());
      }
    }
    throw new ProbeException(
        "no capability hook could be attached. "
            + String.join("; ", failures)
            + ". tp_btf/cap_capable needs Linux 6.14+, fexit/cap_capable Linux 5.5+ with BTF and"
            + " a kernel that allows fentry/fexit programs");
  }

  private static byte[] config(Hook hook, Events events) {
    if (hook != Hook.TP_BTF) {
      return ProbeConfig.encode(Map.of(), events);
    }
    try {
      Map<String, KernelText.Range> ranges =
          KernelText.find(Path.of("/proc/kallsyms"), ProbeConfig.FUNCTIONS);
      if (ranges.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "kernel addresses are hidden in /proc/kallsyms (kptr_restrict): the audit flag of"
                + " checks is unknown, so noaudit checks count as unexpected."
                + " Fix: sysctl kernel.kptr_restrict=0, or run as root");
      }
      return ProbeConfig.encode(ranges, events);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read /proc/kallsyms: " + e.getMessage());
      return ProbeConfig.encode(Map.of(), events);
    }
  }

  public Hook hook() {
    return hook;
  }

  /** False when the hook cannot tell audited from noaudit checks here (all are UNKNOWN). */
  public boolean auditKnown() {
    return auditKnown;
  }

  /**
   * Every count the kernel holds, plus the checks counted while the map was full under {@link
   * CountKey#NO_CGROUP}. Totals only grow, except for keys removed with {@link #forget}.
   */
  @Override
  public List<Count> readCounts() throws ProbeException {
    List<Count> result =
        counts.readAll((keys, offset, total) -> new Count(CountKey.read(keys, offset), total));
    if (stat(Stat.COUNTS_MAP_FULL) > 0) {
      for (Count count :
          overflow.readAll(
              (keys, offset, total) -> new Count(overflowKey(keys.getInt(offset)), total))) {
        if (count.total() > 0) {
          result.add(count);
        }
      }
    }
    return result;
  }

  private static CountKey overflowKey(int index) {
    int audit = index % 3;
    int verdict = (index / 3) % 2;
    int cap = index / 6;
    return new CountKey(CountKey.NO_CGROUP, cap, verdict == 1, CountKey.Audit.of(audit));
  }

  @Override
  public void forget(CountKey key) {
    ByteBuffer buffer = ByteBuffer.allocate(CountKey.SIZE).order(ByteOrder.nativeOrder());
    key.write(buffer);
    counts.delete(buffer);
  }

  public long stat(Stat stat) {
    ByteBuffer key = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
    key.putInt(0, stat.index);
    return stats.lookup(key);
  }

  public int countsCapacity() {
    return countsCapacity;
  }

  /** Kernel memory charged to the counts map, as /proc/self/fdinfo reports it ("memlock"). */
  public long countsMemoryBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + countsFd))) {
        if (line.startsWith("memlock:")) {
          return Long.parseLong(line.substring("memlock:".length()).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Starts draining check events into {@code sink}, on a thread of the ring's own. Only when the
   * probe was attached with events on.
   */
  public synchronized EventRing startEvents(java.util.function.Consumer<CheckRecord> sink)
      throws ProbeException {
    return startEvents(sink, EventRing.Reader.MAPPED);
  }

  /** As {@link #startEvents(java.util.function.Consumer)}, with the reader chosen (benchmarks). */
  public synchronized EventRing startEvents(
      java.util.function.Consumer<CheckRecord> sink, EventRing.Reader reader)
      throws ProbeException {
    if (!events.enabled()) {
      throw new IllegalStateException("the probe was attached without events");
    }
    if (ring == null) {
      ring = new EventRing(libbpf, object.mapFd("events"), events.ringBytes(), reader, sink);
    }
    return ring;
  }

  /** The kernel stack an event recorded, innermost first; empty when it is gone or was not kept. */
  public long[] stack(int stackId) {
    if (stackId < 0 || !events.stacks()) {
      return new long[0];
    }
    try {
      return StackMap.read(libbpf, object.mapFd("stacks"), stackId);
    } catch (ProbeException e) {
      return new long[0];
    }
  }

  /** Detaches the program and frees the maps: nothing of the exporter stays in the kernel. */
  @Override
  public synchronized void close() {
    if (ring != null) {
      ring.close();
      ring = null;
    }
    object.close();
  }
}
