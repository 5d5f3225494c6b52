package io.capabilityexporter.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where kernel functions lie, from /proc/kallsyms: a function ends where the next one starts. */
final class KernelText {

  record Range(long start, long end) {
    boolean contains(long address) {
      return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
  }

  private KernelText() {}

  /**
   * The ranges of the named built-in functions that /proc/kallsyms shows. Hidden addresses
   * (kptr_restrict, or not root) read as zero and give no range.
   */
  static Map<String, Range> find(Path kallsyms, Set<String> names) throws IOException {
    Map<String, Long> starts = new HashMap<>();
    List<Long> text = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(kallsyms)) {
      for (String line; (line = reader.readLine()) != null; ) {
        // "ffffffff81368280 T ns_capable_noaudit"; module symbols add "\t[module]".
        String[] fields = line.split(" ", 3);
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
        text.add(address);
        if (names.contains(fields[2])) {
          starts.putIfAbsent(fields[2], address);
        }
      }
    }
    Map<String, Range> ranges = new HashMap<>();
    starts.forEach(
        (name, start) -> {
          long end = -1L; // unsigned maximum: kernel addresses are "negative"
          for (long address : text) {
            if (Long.compareUnsigned(address, start) > 0
                && Long.compareUnsigned(address, end) < 0) {
              end = address;
            }
          }
          if (end != -1L) {
            ranges.put(name, new Range(start, end));
          }
        });
    return ranges;
  }
}
