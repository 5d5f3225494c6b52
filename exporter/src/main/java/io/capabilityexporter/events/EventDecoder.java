package io.capabilityexporter.events;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.probe.CheckRecord;
import io.capabilityexporter.probe.Kallsyms;
import io.capabilityexporter.probe.Probe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Turns what the kernel sent into a {@link CheckEvent}: wall time, names, workload, stack. */
public final class EventDecoder {
  private final String node;
  private final Attributor attributor;
  private final Syscalls syscalls;
  private final IntFunction<long[]> stacks;
  private final KernelSymbols symbols;
  private final BootClock clock = new BootClock();

  /**
   * @param stacks the kernel stack of a stack id (empty when none); symbolized only when {@code
   *     symbols} is given
   */
  EventDecoder(
      String node,
      Attributor attributor,
      Syscalls syscalls,
      IntFunction<long[]> stacks,
      KernelSymbols symbols) {
    this.node = node;
    this.attributor = attributor;
    this.syscalls = syscalls;
    this.stacks = stacks;
    this.symbols = symbols;
  }

  /**
   * For this host, named {@code node}: kernel stacks from the probe, symbolized from /proc/kallsyms
   * when {@code symbolize}.
   */
  public static EventDecoder forThisHost(
      Probe probe, Attributor attributor, String node, boolean symbolize) throws IOException {
    KernelSymbols symbols = symbolize ? KernelSymbols.load(Kallsyms.FILE) : null;
    return new EventDecoder(node, attributor, Syscalls.forThisMachine(), probe::stack, symbols);
  }

  public CheckEvent decode(CheckRecord record) {
    long cgroupId = record.cgroupId();
    Workload workload =
        attributor.attribute(cgroupId).orElseGet(() -> attributor.provisional(cgroupId));
    List<String> stack = new ArrayList<>();
    if (symbols != null && record.stackId() >= 0) {
      for (long address : stacks.apply(record.stackId())) {
        stack.add(symbols.symbolize(address));
      }
    }
    return new CheckEvent(
        clock.toWallClock(record.bootNanos()),
        node,
        workload,
        attributor.pod(cgroupId).orElse(null),
        attributor.containerId(cgroupId),
        cgroupId,
        record.pid(),
        record.tid(),
        record.comm(),
        syscalls.name(record.syscall()),
        record.uid(),
        record.gid(),
        record.check(),
        record.origin(),
        record.insetid(),
        record.targetUserNs(),
        record.currentUserNs(),
        record.mountNs(),
        record.effectiveCaps(),
        record.count(),
        stack);
  }
}
