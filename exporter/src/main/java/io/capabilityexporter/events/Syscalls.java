package io.capabilityexporter.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * System call names by number, for this machine's architecture (resources/syscalls, generated from
 * the kernel's UAPI headers). A number the table lacks is written as {@code syscall_N}.
 */
public final class Syscalls {
  private final Map<Integer, String> names;

  private Syscalls(Map<Integer, String> names) {
    this.names = names;
  }

  /** The table of {@code os.arch}: amd64/x86_64 or aarch64; an empty one elsewhere. */
  public static Syscalls forThisMachine() {
    String arch = System.getProperty("os.arch");
    String table = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
    return load(table);
  }

  static Syscalls load(String table) {
    Map<Integer, String> names = new HashMap<>();
    try (InputStream in = Syscalls.class.getResourceAsStream("/syscalls/" + table + ".txt")) {
      if (in != null) {
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line; (line = reader.readLine()) != null; ) {
          String[] fields = line.split(" ");
          names.put(Integer.parseInt(fields[0]), fields[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Syscalls(names);
  }

  /** {@code 165} is {@code mount} on x86_64; empty for -1 (not in a system call). */
  public String name(int number) {
    if (number < 0) {
      return "";
    }
    return names.getOrDefault(number, "syscall_" + number);
  }
}
