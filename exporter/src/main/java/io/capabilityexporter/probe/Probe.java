package io.capabilityexporter.probe;

import io.capabilityexporter.files.ProcFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The BPF side, loaded and attached: counts every capability check in the kernel. Closing it
 * detaches the program and frees its maps.
 *
 * <pre>{@code
 * try (Probe probe = Probe.attach(Probe.Options.defaults())) {
 *   probe.hook();        // TP_BTF on Linux 6.14+
 *   probe.readCounts();  // counts: [Count[key=CountKey[cgroupId=4711, capability=18, ...], total=3]]
 * }
 * }</pre>
 */
public final class Probe implements CountSource, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Probe.class.getName());

  private final BpfObject object;
  private final Hook hook;
  private final CgroupBlocks blocks;
  private final int cgroupSlots;
  private final PerCpuMap counts;
  private final SpillLimit spillLimit;
  private final PerCpuMap overflow;
  private final PerCpuMap stats;
  private final int countsCapacity;
  private final boolean auditKnown;
  private final Libbpf libbpf;
  private final Events events;
  private RingReader<CheckRecord> ring;
  private HeldChecks held;
  private RingReader<CgroupChange> cgroupRing;
  private ProgramTimer flush;
  private final ProgramTimer settle;
  // Read without the lock by stat() and mapMemoryBytes(): those are asked from the event ring's
  // thread (attribution's resync check), which close() waits for while holding the lock.
  private volatile boolean closed;

  /** Spill keys of each cgroup at the last read, so {@link #forget} deletes exactly those. */
  private final Map<Long, List<CountKey>> spilled = new HashMap<>();

  /**
   * @param countsCapacity max entries of the kernel's spill hash ({@code counts})
   * @param hooks the hooks to try, best first
   * @param cgroupSlots slots of the per-cgroup counter blocks, a power of two: cgroups that find
   *     theirs taken are counted in the spill hash, exactly but slower
   * @param auditMode how the tp_btf program derives the audit flag (tests force the others)
   * @param cgroupRingBytes size of the kernel's ring of cgroups made and released
   */
  public record Options(
      int countsCapacity,
      List<Hook> hooks,
      Events events,
      int cgroupSlots,
      AuditMode auditMode,
      boolean directLoads,
      int cgroupRingBytes) {
    /** 1024 slots: 2.3 MiB of kernel memory. */
    public static final int DEFAULT_CGROUP_SLOTS = 1024;

    /** 65,536 slots: 148 MiB, more than any node needs. */
    public static final int MAX_CGROUP_SLOTS = 1 << 16;

    /** 4 MiB: some 7,000 cgroup paths of 500 bytes, while the reader is starved of CPU. */
    public static final int DEFAULT_CGROUP_RING_BYTES = 4 << 20;

    public Options {
      if (cgroupSlots <= 0
          || cgroupSlots > MAX_CGROUP_SLOTS
          || Integer.bitCount(cgroupSlots) != 1) {
        throw new IllegalArgumentException(
            "cgroup slots must be a power of two up to " + MAX_CGROUP_SLOTS + ": " + cgroupSlots);
      }
      if (cgroupRingBytes < 4096 || Integer.bitCount(cgroupRingBytes) != 1) {
        throw new IllegalArgumentException(
            "the cgroup ring must be a power of two of at least 4096 bytes: " + cgroupRingBytes);
      }
    }

    public Options(int countsCapacity, List<Hook> hooks, Events events) {
      this(
          countsCapacity,
          hooks,
          events,
          DEFAULT_CGROUP_SLOTS,
          AuditMode.FIXED_SLOTS,
          true,
          DEFAULT_CGROUP_RING_BYTES);
    }

    public static Options defaults() {
      return new Options(16384, List.of(Hook.values()), Events.OFF);
    }

    public Options withEvents(Events events) {
      return new Options(
          countsCapacity, hooks, events, cgroupSlots, auditMode, directLoads, cgroupRingBytes);
    }

    public Options withAuditMode(AuditMode mode) {
      return new Options(
          countsCapacity, hooks, events, cgroupSlots, mode, directLoads, cgroupRingBytes);
    }

    public Options withCgroupSlots(int slots) {
      return new Options(
          countsCapacity, hooks, events, slots, auditMode, directLoads, cgroupRingBytes);
    }

    public Options withCgroupRing(int bytes) {
      return new Options(countsCapacity, hooks, events, cgroupSlots, auditMode, directLoads, bytes);
    }

    /**
     * Without the fast ways that need {@code bpf_rdonly_cast(ptr, 0)} (Linux 6.17+): the audit flag
     * by scanning the stack, the syscall number by a helper. Tried on its own when the fast program
     * does not load; tests force it.
     */
    public Options withoutDirectLoads() {
      return new Options(
          countsCapacity, hooks, events, cgroupSlots, auditMode, false, cgroupRingBytes);
    }
  }

  /** {@code enum audit_mode} in bpf/capable.h. */
  public enum AuditMode {
    /** The frame layout the program learns, the stack scan where it does not match. */
    FIXED_SLOTS,
    /** The stack scan for every check: the slower derivation, as a reference. */
    SCAN_ONLY,
    /** Both for every check, disagreements counted in {@link Stat#AUDIT_DISAGREED}. */
    VERIFY
  }

  /**
   * Check events (trace, OTLP): whether the kernel sends them, how long it folds repeats of one
   * (cgroup, process, capability, verdict, syscall) into one event, the ring buffer's size, and
   * whether events carry kernel stacks.
   */
  public record Events(
      boolean enabled, Duration window, int ringBytes, boolean stacks, boolean auditedOnly) {
    public static final Events OFF = new Events(false, Duration.ofSeconds(1), 4096, false, false);

    public Events(boolean enabled, Duration window, int ringBytes, boolean stacks) {
      this(enabled, window, ringBytes, stacks, false);
    }

    /** No events for the checks the kernel does not audit (every mmap's SYS_ADMIN probe). */
    public Events auditedOnly(boolean audited) {
      return new Events(enabled, window, ringBytes, stacks, audited);
    }

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

  /**
   * What one read of the kernel's counts found.
   *
   * @param departed cgroups the kernel has released whose counts are still held
   * @param slotsHeld slots of the per-cgroup blocks held (of {@link #cgroupSlots()})
   * @param spillEntries entries of the spill hash (its capacity is {@link #countsCapacity()})
   */
  public record Counts(List<Count> counts, Set<Long> departed, int slotsHeld, int spillEntries) {}

  private Probe(
      BpfObject object,
      Hook hook,
      int cpus,
      Libbpf libbpf,
      boolean auditKnown,
      Events events,
      SpillLimit spillLimit)
      throws ProbeException {
    this.events = events;
    this.spillLimit = spillLimit;
    this.cgroupSlots = object.mapCapacity("cgroup_counts");
    this.object = object;
    this.hook = hook;
    this.auditKnown = auditKnown;
    this.libbpf = libbpf;
    this.countsCapacity = object.mapCapacity("counts");
    this.counts = new PerCpuMap(libbpf, object.mapFd("counts"), CountKey.SIZE, cpus);
    this.overflow = new PerCpuMap(libbpf, object.mapFd("counts_overflow"), Integer.BYTES, cpus);
    this.stats = new PerCpuMap(libbpf, object.mapFd("stats"), Integer.BYTES, cpus);
    this.blocks = new CgroupBlocks(object.mapFd("cgroup_counts"), cgroupSlots); // last: it maps
    this.settle =
        new ProgramTimer(
            libbpf,
            object.programFd(BpfObject.SETTLE_PROGRAM),
            java.util.concurrent.TimeUnit.SECONDS.toNanos(1),
            "runtime-settle",
            "credit the checks of runtimes entering containers");
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
      List<Options> ways =
          options.directLoads() ? List.of(options, options.withoutDirectLoads()) : List.of(options);
      for (Options way : ways) {
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

  private static byte[] config(Hook hook, Options options) {
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
    List<Count> fromBlocks = new ArrayList<>();
    Set<Long> departed = new HashSet<>();
    int slotsHeld = blocks.read(fromBlocks, departed);
    List<Count> fromSpill =
        counts.readAll((keys, offset, total) -> new Count(CountKey.read(keys, offset), total));
    spilled.clear();
    Map<CountKey, Long> totals = new HashMap<>(fromBlocks.size() * 2);
    for (Count count : fromBlocks) {
      totals.merge(count.key(), count.total(), Long::sum);
    }
    for (Count count : fromSpill) {
      totals.merge(count.key(), count.total(), Long::sum);
      spilled.computeIfAbsent(count.key().cgroupId(), id -> new ArrayList<>()).add(count.key());
    }
    List<Count> result = new ArrayList<>(totals.size() + 8);
    totals.forEach((key, total) -> result.add(new Count(key, total)));
    if (stat(Stat.COUNTS_MAP_FULL) > 0) {
      for (Count count :
          overflow.readAll(
              (keys, offset, total) -> new Count(overflowKey(keys.getInt(offset)), total))) {
        if (count.total() > 0) {
          result.add(count);
        }
      }
    }
    return new Counts(result, departed, slotsHeld, fromSpill.size());
  }

  private static CountKey overflowKey(int index) {
    return CgroupBlocks.key(CountKey.NO_CGROUP, index);
  }

  /**
   * Drops what the kernel holds for a cgroup that is gone, whose totals have been read: its
   * departed block is freed for another cgroup, its spill keys deleted.
   */
  @Override
  public synchronized void forget(long cgroupId) {
    if (closed) {
      return;
    }
    blocks.free(cgroupId);
    List<CountKey> keys = spilled.remove(cgroupId);
    if (keys == null) {
      return;
    }
    ByteBuffer buffer = ByteBuffer.allocate(CountKey.SIZE).order(ByteOrder.nativeOrder());
    int deleted = 0;
    for (CountKey key : keys) {
      buffer.clear();
      key.write(buffer);
      if (counts.delete(buffer)) {
        deleted++;
      }
    }
    spillLimit.deleted(deleted);
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

  public int countsCapacity() {
    return countsCapacity;
  }

  /** The share of the kernel's spill hash in use now, from 0 to 1: one map lookup. */
  public double spillFill() {
    return spillLimit.fill();
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
    blocks.close();
    closed = true;
  }
}
