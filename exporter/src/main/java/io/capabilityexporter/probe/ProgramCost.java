package io.capabilityexporter.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What one of the exporter's BPF programs has cost the node since it was loaded, as the kernel
 * keeps it. Run time and run count grow only while {@code kernel.bpf_stats_enabled} is 1 (the
 * kernel times each run only then: some 20 ns a run); recursion misses always.
 *
 * @param program the program's name in bpf/capable.bpf.c ({@code cap_capable_tp})
 * @param runTimeNanos time spent running it
 * @param runs times it ran
 * @param recursionMisses runs the kernel skipped because it was already running on that CPU
 */
public record ProgramCost(String program, long runTimeNanos, long runs, long recursionMisses) {

  /** A program fd's fdinfo is a dozen short lines; more is not the kernel's. */
  static final int MAX_FDINFO = 4096;

  /**
   * Reads a program fd's {@code /proc/self/fdinfo} ({@code run_time_ns:}, {@code run_cnt:}, {@code
   * recursion_misses:} lines, since Linux 5.1 and 5.12); empty when it has no run count.
   */
  static Optional<ProgramCost> fromFdinfo(String program, Path fdinfo) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(fdinfo)) {
      bytes = in.readNBytes(MAX_FDINFO);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    return parse(program, new String(bytes, StandardCharsets.US_ASCII));
  }

  static Optional<ProgramCost> parse(String program, String fdinfo) {
    long runTime = -1;
    long runs = -1;
    long misses = 0;
    for (String line : fdinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      long value;
      try {
        value = Long.parseUnsignedLong(line.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        continue;
      }
      switch (key) {
        case "run_time_ns" -> runTime = value;
        case "run_cnt" -> runs = value;
        case "recursion_misses" -> misses = value;
        default -> {}
      }
    }
    return runTime < 0 || runs < 0
        ? Optional.empty()
        : Optional.of(new ProgramCost(program, runTime, runs, misses));
  }
}
