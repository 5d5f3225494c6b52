package io.capabilityexporter.probe;

import java.io.IOException;
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
    Kallsyms.forEachText(
        kallsyms,
        symbol -> {
          text.add(symbol.address());
          if (symbol.module() == null && names.contains(symbol.name())) {
            starts.putIfAbsent(symbol.name(), symbol.address());
          }
        });
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
