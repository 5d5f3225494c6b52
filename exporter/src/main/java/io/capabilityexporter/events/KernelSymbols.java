package io.capabilityexporter.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
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
    record Symbol(long address, String name) {}
    List<Symbol> symbols = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(kallsyms)) {
      for (String line; (line = reader.readLine()) != null; ) {
        String[] fields = line.split("\\s+", 4);
        if (fields.length < 3 || !(fields[1].equals("t") || fields[1].equals("T"))) {
          continue;
        }
        try {
          long address = Long.parseUnsignedLong(fields[0], 16);
          if (address != 0) {
            symbols.add(new Symbol(address, fields[2]));
          }
        } catch (NumberFormatException e) {
          // not a symbol line
        }
      }
    }
    symbols.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned));
    return new KernelSymbols(
        symbols.stream().mapToLong(Symbol::address).toArray(),
        symbols.stream().map(Symbol::name).toArray(String[]::new));
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
