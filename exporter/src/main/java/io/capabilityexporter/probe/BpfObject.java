package io.capabilityexporter.probe;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.io.InputStream;

/** One opened libbpf object: the embedded capable.bpf.o with one hook enabled. */
final class BpfObject implements AutoCloseable {
  static final String RESOURCE = "/bpf/capable.bpf.o";

  private final Libbpf libbpf;
  private final Memory elf;
  private final Pointer object;

  /** Follow the cgroups the kernel makes and releases; attached with every hook. */
  static final java.util.List<String> CGROUP_PROGRAMS =
      java.util.List.of("cgroup_made", "cgroup_released");

  /**
   * Tell the container runtime's checks from the workload's (bpf/runtime.bpf.h): attached with
   * every hook, before it; and one of the two exec programs, the earlier where the kernel has it.
   */
  static final java.util.List<String> RUNTIME_PROGRAMS =
      java.util.List.of("task_moved", "task_forked", "task_exited");

  static final String EXEC_PREPARED = "exec_prepared";
  static final String EXEC_DONE = "exec_done";

  /** Reports the fold map's pending repeats, run from user space (see {@link ProgramTimer}). */
  static final String FLUSH_PROGRAM = "flush_folds";

  /** Credits a runtime's held checks once resolved or waited out (see {@link ProgramTimer}). */
  static final String SETTLE_PROGRAM = "settle_entries";

  private String execProgram = EXEC_DONE;

  private final java.util.List<Pointer> links = new java.util.ArrayList<>();

  /** The programs attached, by name, in the order they were. */
  private final java.util.List<String> attached = new java.util.ArrayList<>();

  private BpfObject(Libbpf libbpf, Memory elf, Pointer object) {
    this.libbpf = libbpf;
    this.elf = elf;
    this.object = object;
  }

  static BpfObject open(Libbpf libbpf) throws ProbeException {
    byte[] bytes;
    try (InputStream in = BpfObject.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ProbeException(
            RESOURCE + " is missing from the jar: rebuild with `make build` (needs clang)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ProbeException("cannot read " + RESOURCE + " from the jar: " + e.getMessage());
    }
    Memory elf = new Memory(bytes.length);
    elf.write(0, bytes, 0, bytes.length);
    Pointer object = libbpf.bpf_object__open_mem(elf, bytes.length, null);
    if (object == null) {
      throw new ProbeException("libbpf cannot open " + RESOURCE + ": " + Errno.describe());
    }
    return new BpfObject(libbpf, elf, object);
  }

  /** Loads only {@code hook}'s program, with the configuration written into .rodata first. */
  void load(Hook hook, byte[] config, ProbeOptions options) throws ProbeException {
    for (Hook each : Hook.values()) {
      libbpf.bpf_program__set_autoload(program(each), each == hook);
    }
    // BPF_PROG_TYPE_SYSCALL (5.14) and bpf_for_each_map_elem (5.13): only where events are asked.
    libbpf.bpf_program__set_autoload(program(FLUSH_PROGRAM), options.events().enabled());
    // sched_prepare_exec (Linux 6.10) comes before the new program's first check;
    // sched_process_exec only after a few of them.
    execProgram =
        libbpf.libbpf_find_vmlinux_btf_id("sched_prepare_exec", Libbpf.BPF_TRACE_RAW_TP) > 0
            ? EXEC_PREPARED
            : EXEC_DONE;
    libbpf.bpf_program__set_autoload(program(EXEC_PREPARED), execProgram.equals(EXEC_PREPARED));
    libbpf.bpf_program__set_autoload(program(EXEC_DONE), execProgram.equals(EXEC_DONE));
    writeRodata(config);
    Pointer counts = map("counts");
    check(libbpf.bpf_map__set_max_entries(counts, options.countsCapacity()), "size the counts map");
    check(
        libbpf.bpf_map__set_max_entries(map("cgroup_counts"), options.cgroupSlots()),
        "size the cgroup_counts array");
    EventOptions events = options.events();
    check(libbpf.bpf_map__set_max_entries(map("events"), events.ringBytes()), "size the ring");
    check(
        libbpf.bpf_map__set_max_entries(map("cgroup_events"), options.cgroupRingBytes()),
        "size the cgroup ring");
    if (events.enabled()) {
      // One entry a CPU, indexed by CPU number (events.bpf.h).
      int cpus = libbpf.libbpf_num_possible_cpus();
      check(cpus < 0 ? cpus : 0, "count the possible CPUs");
      check(libbpf.bpf_map__set_max_entries(map("fold_cache"), cpus), "size the fold cache");
    } else {
      check(libbpf.bpf_map__set_max_entries(map("folds"), 1), "size the fold map");
    }
    if (!events.stacks()) {
      // A stack map is preallocated: 1024 stacks of 127 frames is 1 MiB for nothing.
      check(libbpf.bpf_map__set_max_entries(map("stacks"), 1), "size the stack map");
    }
    check(libbpf.bpf_object__load(object), "load " + hook.label());
  }

  /**
   * The cgroup programs first: a cgroup made once checks are counted already has its path. Then the
   * runtime boundary's, so that a process placed once checks are counted is marked.
   */
  void attach(Hook hook) throws ProbeException {
    for (String name : CGROUP_PROGRAMS) {
      attach(name, "tp_btf/" + name);
    }
    for (String name : RUNTIME_PROGRAMS) {
      attach(name, "tp_btf/" + name);
    }
    attach(execProgram, "tp_btf/" + execProgram);
    attach(hook.program(), hook.label());
  }

  private void attach(String name, String label) throws ProbeException {
    Pointer link = libbpf.bpf_program__attach(program(name));
    if (link == null) {
      throw new ProbeException("cannot attach " + label + ": " + Errno.describe());
    }
    links.add(link);
    attached.add(name);
  }

  /**
   * What each attached program has cost so far (ProgramCost), from {@code /proc/self/fdinfo} of its
   * fd: the same books as BPF_OBJ_GET_INFO_BY_FD, which would make the exporter, without CAP_BPF
   * once started, ask for it (audited, denied) at every scrape. None that cannot be read.
   */
  java.util.List<ProgramCost> costs() {
    java.util.List<ProgramCost> costs = new java.util.ArrayList<>();
    for (String name : attached) {
      try {
        int fd = libbpf.bpf_program__fd(program(name));
        if (fd >= 0) {
          ProgramCost.fromFdinfo(name, java.nio.file.Path.of("/proc/self/fdinfo/" + fd))
              .ifPresent(costs::add);
        }
      } catch (ProbeException e) {
        // A program of the object always has its name: nothing to read then.
      }
    }
    return costs;
  }

  int programFd(String name) throws ProbeException {
    return libbpf.bpf_program__fd(program(name));
  }

  /** Detaches every program; the maps stay until {@link #close}. */
  void detach() {
    for (Pointer link : links) {
      libbpf.bpf_link__destroy(link);
    }
    links.clear();
    attached.clear();
  }

  int mapFd(String name) throws ProbeException {
    return libbpf.bpf_map__fd(map(name));
  }

  int mapCapacity(String name) throws ProbeException {
    return libbpf.bpf_map__max_entries(map(name));
  }

  private Pointer program(Hook hook) throws ProbeException {
    return program(hook.program());
  }

  private Pointer program(String name) throws ProbeException {
    Pointer program = libbpf.bpf_object__find_program_by_name(object, name);
    if (program == null) {
      throw new ProbeException("program " + name + " is missing from " + RESOURCE);
    }
    return program;
  }

  private Pointer map(String name) throws ProbeException {
    Pointer map = libbpf.bpf_object__find_map_by_name(object, name);
    if (map == null) {
      throw new ProbeException("map " + name + " is missing from " + RESOURCE);
    }
    return map;
  }

  /** libbpf names the .rodata map "<object>.rodata", truncated: find it by suffix. */
  private void writeRodata(byte[] config) throws ProbeException {
    for (Pointer map = libbpf.bpf_object__next_map(object, null);
        map != null;
        map = libbpf.bpf_object__next_map(object, map)) {
      if (libbpf.bpf_map__name(map).endsWith(".rodata")) {
        LongByReference size = new LongByReference();
        Pointer data = libbpf.bpf_map__initial_value(map, size);
        if (data == null || size.getValue() < config.length) {
          throw new ProbeException(".rodata of " + RESOURCE + " is smaller than its config");
        }
        data.write(0, config, 0, config.length);
        return;
      }
    }
    throw new ProbeException(".rodata is missing from " + RESOURCE);
  }

  private void check(int result, String what) throws ProbeException {
    if (result < 0) {
      String detail = LibbpfLog.drain();
      throw new ProbeException(
          "cannot "
              + what
              + ": "
              + Errno.describe(-result)
              + (detail.isEmpty() ? "" : " (libbpf: " + detail + ")"));
    }
  }

  @Override
  public void close() {
    detach();
    libbpf.bpf_object__close(object);
    elf.close();
  }
}
