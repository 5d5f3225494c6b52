package io.capabilityexporter.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Address ranges of the kernel functions that check capabilities only with CAP_OPT_NOAUDIT. The
 * tp_btf hook has no {@code opts}, so the BPF program calls a check noaudit when one of these is
 * among its first kernel stack frames.
 */
final class NoauditRanges {

  /**
   * kernel/capability.c's *_noaudit helpers, and the vm_enough_memory hook: every mmap and
   * execve makes a noaudit SYS_ADMIN check there, the main source of noise without this. On 6.18
   * the frame above cap_capable is security_vm_enough_memory_mm itself (the static call to
   * cap_vm_enough_memory leaves no frame); any cap_capable below it is that noaudit check.
   */
  static final Set<String> FUNCTIONS =
      Set.of(
          "has_capability_noaudit",
          "has_ns_capability_noaudit",
          "ns_capable_noaudit",
          "cap_vm_enough_memory",
          "security_vm_enough_memory_mm");

  /** Maximum ranges the BPF program takes: NOAUDIT_RANGES in capable.h. */
  static final int MAX = 8;

  record Range(long start, long end) {}

  private NoauditRanges() {}

  /**
   * Reads /proc/kallsyms. A function ends where the next text symbol starts. Empty when the
   * addresses are hidden (kptr_restrict, or not root): the audit flag is then unknown.
   */
  static List<Range> fromKallsyms(Path kallsyms) throws IOException {
    long[] starts = new long[FUNCTIONS.size()];
    String[] names = FUNCTIONS.toArray(String[]::new);
    long[] ends = new long[names.length];
    Arrays.fill(ends, -1L); // unsigned maximum: kernel addresses are "negative"
    List<Long> textAddresses = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(kallsyms)) {
      String line;
      while ((line = reader.readLine()) != null) {
        String[] fields = line.split(" ", 4);
        if (fields.length < 3 || !(fields[1].equals("t") || fields[1].equals("T"))) {
          continue;
        }
        long address;
        try {
          address = Long.parseUnsignedLong(fields[0], 16);
        } catch (NumberFormatException e) {
          continue;
        }
        if (address == 0) {
          continue;
        }
        textAddresses.add(address);
        for (int i = 0; i < names.length; i++) {
          // Module symbols carry a trailing "\t[module]"; the functions wanted are built in.
          if (fields.length == 3 && fields[2].equals(names[i])) {
            starts[i] = address;
          }
        }
      }
    }
    for (long address : textAddresses) {
      for (int i = 0; i < names.length; i++) {
        if (starts[i] != 0 && Long.compareUnsigned(address, starts[i]) > 0
            && Long.compareUnsigned(address, ends[i]) < 0) {
          ends[i] = address;
        }
      }
    }
    List<Range> ranges = new ArrayList<>();
    for (int i = 0; i < names.length && ranges.size() < MAX; i++) {
      if (starts[i] != 0 && ends[i] != -1L) {
        ranges.add(new Range(starts[i], ends[i]));
      }
    }
    return ranges;
  }
}
