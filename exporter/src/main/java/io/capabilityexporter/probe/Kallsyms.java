package io.capabilityexporter.probe;

import io.capabilityexporter.files.UntrustedFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** The kernel's code symbols, from /proc/kallsyms, read a line at a time. */
public final class Kallsyms {
  public static final Path FILE = Path.of("/proc/kallsyms");

  /** 5 MiB with a distribution's modules here; a cap, not an estimate. */
  private static final UntrustedFile READER =
      new UntrustedFile(
          "kernel symbol table", 64L << 20, Duration.ofSeconds(30), "mount procfs at /proc");

  /**
   * A text (code) symbol: {@code ffffffff81368280 T ns_capable_noaudit}.
   *
   * @param module null for the kernel's own, else the module ({@code [nf_tables]})
   */
  public record Symbol(long address, String name, String module) {}

  private Kallsyms() {}

  /**
   * Each text symbol whose address shows. Hidden addresses (kptr_restrict, or not root) read as
   * zero and are left out; lines that are not symbols are skipped.
   */
  public static void forEachText(Path kallsyms, Consumer<Symbol> symbols) throws IOException {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(READER.open(kallsyms), StandardCharsets.ISO_8859_1))) {
      for (String line; (line = reader.readLine()) != null; ) {
        String[] fields = line.split("\\s+", 4);
        if (fields.length < 3 || !(fields[1].equals("t") || fields[1].equals("T"))) {
          continue;
        }
        long address;
        try {
          address = Long.parseUnsignedLong(fields[0], 16);
        } catch (NumberFormatException e) {
          continue;
        }
        if (address != 0) {
          symbols.accept(new Symbol(address, fields[2], fields.length > 3 ? fields[3] : null));
        }
      }
    }
  }
}
