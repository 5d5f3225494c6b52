package io.capabilityexporter.probe;

/**
 * What one of the exporter's BPF programs has cost the node since it was loaded, as the kernel
 * keeps it in {@code struct bpf_prog_info}. Run time and run count grow only while {@code
 * kernel.bpf_stats_enabled} is 1 (the kernel times each run only then: some 20 ns a run); recursion
 * misses always.
 *
 * @param program the program's name in bpf/capable.bpf.c ({@code cap_capable_tp})
 * @param runTimeNanos time spent running it
 * @param runs times it ran
 * @param recursionMisses runs the kernel skipped because it was already running on that CPU
 */
public record ProgramCost(String program, long runTimeNanos, long runs, long recursionMisses) {

  /** Offsets in {@code struct bpf_prog_info} (include/uapi/linux/bpf.h, stable ABI). */
  static final int RUN_TIME_NS = 192;

  static final int RUN_CNT = 200;
  static final int RECURSION_MISSES = 208;

  /** Enough of {@code struct bpf_prog_info} to reach recursion_misses (Linux 5.12). */
  static final int INFO_SIZE = 216;
}
