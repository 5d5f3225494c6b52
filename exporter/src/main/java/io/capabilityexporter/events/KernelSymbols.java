package io.capabilityexporter.events;

import io.capabilityexporter.probe.Kallsyms;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Kernel addresses to {@code function+0x1f}, from /proc/kallsyms, for --print-stack. */
final class KernelSymbols {
  private final long[] addresses;
  private final String[] names;

  private KernelSymbols(long[] addresses, String[] names) {
    this.addresses = addresses;
    this.names = names;
  }

  static KernelSymbols load(Path kallsyms) throws IOException {
    List<Kallsyms.Symbol> symbols = new ArrayList<>();
    Kallsyms.forEachText(kallsyms, symbols::add);
    symbols.sort(Comparator.comparing(Kallsyms.Symbol::address, Long::compareUnsigned));
    return new KernelSymbols(
        symbols.stream().mapToLong(Kallsyms.Symbol::address).toArray(),
        symbols.stream().map(Kallsyms.Symbol::name).toArray(String[]::new));
  }

  /** {@code cap_capable+0x83}, or the address in hex when no symbol precedes it. */
  String symbolize(long address) {
    int low = 0;
    int high = addresses.length - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (Long.compareUnsigned(addresses[middle], address) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) {
      return "0x" + Long.toHexString(address);
    }
    return names[found] + "+0x" + Long.toHexString(address - addresses[found]);
  }

  int size() {
    return addresses.length;
  }
}
