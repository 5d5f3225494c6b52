package io.capabilityexporter.probe;

import io.capabilityexporter.files.ProcFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The BPF side, loaded and attached: counts every capability check in the kernel. Closing it
 * detaches the program and frees its maps.
 *
 * <pre>{@code
 * try (Probe probe = Probe.attach(ProbeOptions.defaults())) {
 *   probe.hook();        // TP_BTF on Linux 6.14+
 *   probe.readCounts();  // counts: [Count[key=CountKey[cgroupId=4711, capability=18, ...], total=3]]
 * }
 * }</pre>
 */
public final class Probe implements CountSource, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Probe.class.getName());

  private final BpfObject object;
  private final Hook hook;
  private final KernelCounts counts;
  private final int cgroupSlots;
  private final PerCpuMap stats;
  private final boolean auditKnown;
  private final Libbpf libbpf;
  private final EventOptions events;
  private RingReader<CheckRecord> ring;
  private HeldChecks held;
  private RingReader<CgroupChange> cgroupRing;
  private ProgramTimer flush;
  private final ProgramTimer settle;
  // Read without the lock by stat() and mapMemoryBytes(): those are asked from the event ring's
  // thread (attribution's resync check), which close() waits for while holding the lock.
  private volatile boolean closed;

  private Probe(
      BpfObject object,
      Hook hook,
      int cpus,
      Libbpf libbpf,
      boolean auditKnown,
      EventOptions events,
      SpillLimit spillLimit)
      throws ProbeException {
    this.events = events;
    this.cgroupSlots = object.mapCapacity("cgroup_counts");
    this.object = object;
    this.hook = hook;
    this.auditKnown = auditKnown;
    this.libbpf = libbpf;
    this.stats = new PerCpuMap(libbpf, object.mapFd("stats"), Integer.BYTES, cpus);
    this.counts =
        new KernelCounts(object, libbpf, cpus, spillLimit, () -> stat(Stat.COUNTS_MAP_FULL));
    this.settle =
        new ProgramTimer(
            libbpf,
            object.programFd(BpfObject.SETTLE_PROGRAM),
            java.util.concurrent.TimeUnit.SECONDS.toNanos(1),
            "runtime-settle",
            "credit the checks of runtimes entering containers");
  }

  /** Loads and attaches the best hook this kernel offers, or says why none can be. */
  public static Probe attach(ProbeOptions options) throws ProbeException {
    Libbpf libbpf =
        Preflight.check(Path.of("/proc/self/status"), Path.of("/sys/kernel/btf/vmlinux"));
    LibbpfLog.install(libbpf);
    int cpus = libbpf.libbpf_num_possible_cpus();
    if (cpus <= 0) {
      throw new ProbeException("cannot count possible CPUs: " + Errno.describe(-cpus));
    }
    List<String> failures = new ArrayList<>();
    for (Hook hook : options.hooks()) {
      List<ProbeOptions> ways =
          options.directLoads() ? List.of(options, options.withoutDirectLoads()) : List.of(options);
      for (ProbeOptions way : ways) {
        byte[] config = config(hook, way);
        BpfObject object = BpfObject.open(libbpf);
        try {
          object.load(hook, config, way);
          SpillLimit spillLimit =
              new SpillLimit(libbpf, object.mapFd("counts_used"), way.countsCapacity());
          object.attach(hook);
          LibbpfLog.drain();
          NativeHeap.giveBack(); // the kernel's BTF, parsed to load, is freed by now
          boolean auditKnown = hook == Hook.FEXIT || ProbeConfig.enabled(config);
          return new Probe(object, hook, cpus, libbpf, auditKnown, way.events(), spillLimit);
        } catch (ProbeException e) {
          object.close();
          if (way == ways.get(ways.size() - 1)) {
            failures.add(hook.label() + ": " + e.getMessage());
          } else {
            LOG.log(
                System.Logger.Level.INFO,
                hook.label()
                    + ": loading it again without the fast ways (they need Linux 6.17's"
                    + " bpf_rdonly_cast to void; each check then costs a little more). The fast"
                    + " program failed: "
                    + e.getMessage().lines().findFirst().orElse(""));
          }
        }
      }
    }
    throw new ProbeException(
        "no capability hook could be attached. "
            + String.join("; ", failures)
            + ". "
            + SeccompHint.of(Path.of("/proc/self/status"), failures)
                .orElse(
                    "tp_btf/cap_capable needs Linux 6.14+, fexit/cap_capable Linux 5.12+ with BTF"
                        + " and a kernel that allows fentry/fexit programs"));
  }

  private static byte[] config(Hook hook, ProbeOptions options) {
    if (hook != Hook.TP_BTF) {
      return ProbeConfig.encode(Map.of(), options);
    }
    try {
      Map<String, KernelText.Range> ranges = KernelText.find(Kallsyms.FILE, ProbeConfig.FUNCTIONS);
      if (ranges.isEmpty()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "kernel addresses are hidden in /proc/kallsyms (kptr_restrict): the audit flag of"
                + " checks is unknown, so noaudit checks count as unexpected."
                + " Fix: sysctl kernel.kptr_restrict=0, or run as root");
      }
      return ProbeConfig.encode(ranges, options);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read /proc/kallsyms: " + e.getMessage());
      return ProbeConfig.encode(Map.of(), options);
    }
  }

  /** What each of the exporter's attached programs has cost the node so far (ProgramCost). */
  public synchronized List<ProgramCost> programCosts() {
    return object.costs();
  }

  public Hook hook() {
    return hook;
  }

  /** False when the hook cannot tell audited from noaudit checks here (all are UNKNOWN). */
  public boolean auditKnown() {
    return auditKnown;
  }

  public long stat(Stat stat) {
    if (closed) {
      return 0;
    }
    ByteBuffer key = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
    key.putInt(0, stat.index);
    return stats.lookup(key);
  }

  /**
   * Whether this thread may still make bpf() calls on the maps held: false when the kernel refuses
   * (EPERM: before Linux 6.5, with unprivileged BPF off, every bpf() call needs CAP_BPF).
   */
  public boolean mapAccessAllowed() {
    ByteBuffer key = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder());
    return stats.tryLookup(key) != EPERM;
  }

  private static final int EPERM = 1;

  /**
   * Every count the kernel holds: per cgroup, its block's counters plus what spilled into the hash,
   * summed per key; the checks counted while the spill hash was full under {@link
   * CountKey#NO_CGROUP}. Totals only grow until {@link #forget}; a cgroup released by the kernel is
   * named in {@link Counts#departed()} once (and until) its counts have been read.
   */
  @Override
  public synchronized Counts readCounts() throws ProbeException {
    if (closed) {
      throw new ProbeException("the probe is closed");
    }
    return counts.read();
  }

  /**
   * Drops what the kernel holds for a cgroup that is gone, whose totals have been read: its
   * departed block is freed for another cgroup, its spill keys deleted.
   */
  @Override
  public synchronized void forget(long cgroupId) {
    if (!closed) {
      counts.forget(cgroupId);
    }
  }

  public int countsCapacity() {
    return counts.countsCapacity();
  }

  /** The share of the kernel's spill hash in use now, from 0 to 1: one map lookup. */
  public double spillFill() {
    return counts.spillFill();
  }

  public int cgroupSlots() {
    return cgroupSlots;
  }

  /** The maps whose kernel memory is reported, by name. */
  public static final List<String> MAPS =
      List.of("cgroup_counts", "counts", "counts_overflow", "events", "folds", "cgroup_events");

  /** Kernel memory charged to one of {@link #MAPS}, or -1 where it cannot be told. */
  public long mapMemoryBytes(String map) {
    if (closed) {
      return -1;
    }
    try {
      return memlock(object.mapFd(map));
    } catch (ProbeException e) {
      return -1;
    }
  }

  /** As /proc/self/fdinfo reports it ("memlock"). */
  private static long memlock(int fd) {
    try {
      for (String line : ProcFiles.read(Path.of("/proc/self/fdinfo/" + fd)).split("\n")) {
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
   * Starts draining check events into {@code sink}, on a thread of the ring's own (and one that
   * sends on held checks once the kernel says whose they were; never both at once). Only when the
   * probe was attached with events on.
   */
  public synchronized RingReader<CheckRecord> startEvents(
      java.util.function.Consumer<CheckRecord> sink) throws ProbeException {
    if (!events.enabled()) {
      throw new IllegalStateException("the probe was attached without events");
    }
    if (ring == null) {
      int flushFd = object.programFd(BpfObject.FLUSH_PROGRAM);
      held = new HeldChecks(libbpf, object.mapFd("joining"), sink);
      ring =
          new RingReader<>(
              object.mapFd("events"), events.ringBytes(), "event-ring", CheckRecord::decode, held);
      flush =
          new ProgramTimer(
              libbpf,
              flushFd,
              events.window().toNanos(),
              "fold-flush",
              "report the repeats of check events");
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

  /**
   * Starts handing the cgroups the kernel makes and releases to {@code sink}, on a thread of the
   * ring's own; {@link RingReader#catchUp()} hands over what is pending at once.
   */
  public synchronized RingReader<CgroupChange> followCgroups(
      java.util.function.Consumer<CgroupChange> sink) throws ProbeException {
    if (cgroupRing == null) {
      cgroupRing =
          new RingReader<>(
              object.mapFd("cgroup_events"),
              object.mapCapacity("cgroup_events"),
              "cgroup-ring",
              CgroupChange::decode,
              sink);
    }
    return cgroupRing;
  }

  /** Detaches the program and frees the maps: nothing of the exporter stays in the kernel. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    object.detach();
    // Detaching does not wait for a program already running on another CPU: an RCU grace period
    // does (tracepoint programs run inside one). Then what the kernel holds is final.
    Membarrier.global();
    settle.close();
    settle.run(true); // what runtimes entering containers still held: counted where it belongs
    if (flush != null) {
      flush.close();
      // The repeats still pending, so the events add up to the checks: as many rounds as the
      // ring needs to take them.
      for (int round = 0; round < 64 && flush.run(true); round++) {
        ring.catchUp();
      }
      flush = null;
    }
    if (ring != null) {
      ring.catchUp();
      ring.close();
      ring = null;
      held.close(); // the lineages are settled now: whose each held check was, before the maps go
    }
    if (cgroupRing != null) {
      cgroupRing.close();
      cgroupRing = null;
    }
    object.close();
    counts.close();
    closed = true;
  }
}
