package io.capabilityexporter.cli;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.capabilities.CapabilityDescriptions;
import io.capabilityexporter.capabilities.CapabilityMask;
import io.capabilityexporter.files.ProcFiles;
import io.capabilityexporter.files.UntrustedFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code capability-exporter decode}: the capabilities in a mask, as {@code capsh --decode} does,
 * with each one's number, mask and what it allows.
 *
 * <pre>
 * $ capability-exporter decode 0x2000
 * 0x0000000000002000: 1 capability
 *   13  NET_RAW            0x0000000000002000  use RAW and PACKET sockets; bind to any address
 * </pre>
 */
final class DecodeCommand {
  static final Command COMMAND =
      new Command(
          "decode",
          "the capabilities in a mask (decode 000001ffffffffff), or of a process (--pid)",
          List.of("MASK", "--pid=PID"),
          "MASK",
          """
          The capabilities in a mask as /proc/PID/status writes them (CapEff: 000001ffffffffff),
          up to 16 hex digits, with or without 0x; with --pid, the five sets of a process.
          """,
          List.of(
              Flag.value("pid", "PID", "the five capability sets of this process")
                  .withShortName("p")),
          "",
          (args, out, err) -> new DecodeCommand(out, err, Path.of("/proc")).run(args));

  /** The sets in /proc/PID/status, in the order it writes them. */
  private static final List<String> SETS =
      List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb");

  private final PrintStream out;
  private final PrintStream err;
  private final Path proc;

  /** {@code proc}: where procfs is, another directory in tests. */
  DecodeCommand(PrintStream out, PrintStream err, Path proc) {
    this.out = out;
    this.err = err;
    this.proc = proc;
  }

  int run(List<String> args) throws UsageException {
    Flags flags = Flags.parse(COMMAND, args);
    if (flags.operand().isPresent() && !flags.has("pid")) {
      long mask = parseMask(flags.operand().get());
      print(CapabilityMask.hex(mask) + ":", mask);
      return 0;
    }
    if (!flags.has("pid") || flags.operand().isPresent()) {
      throw new UsageException("decode: give a mask (decode 000001ffffffffff) or --pid=PID");
    }
    int pid = flags.positiveInt("pid", Integer.MAX_VALUE);
    Map<String, Long> sets;
    try {
      sets = sets(pid);
    } catch (NoSuchFileException e) {
      err.println("capability-exporter: decode: no process " + pid + " (no " + e.getFile() + ")");
      return 1;
    } catch (UntrustedFileException e) {
      err.println("capability-exporter: decode: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println(
          "capability-exporter: decode: cannot read the status of process " + pid + ": " + e);
      return 1;
    }
    for (String set : SETS) {
      Long mask = sets.get(set);
      if (mask == null) {
        err.println(
            "capability-exporter: decode: "
                + proc.resolve(pid + "/status")
                + " has no valid "
                + set
                + " line");
        return 1;
      }
      print(set + "  " + CapabilityMask.hex(mask) + ":", mask);
    }
    return 0;
  }

  private static long parseMask(String text) throws UsageException {
    Optional<Long> mask = CapabilityMask.parse(text);
    if (mask.isEmpty()) {
      throw new UsageException(
          "decode: '"
              + text
              + "' is not a capability mask: give up to 16 hex digits, with or without 0x, as"
              + " /proc/PID/status writes them (CapEff: 000001ffffffffff)");
    }
    return mask.get();
  }

  private void print(String heading, long mask) {
    int count = Long.bitCount(mask);
    out.println(
        heading
            + " "
            + (count == 0 ? "none" : count + (count == 1 ? " capability" : " capabilities")));
    for (int number = 0; number < Long.SIZE; number++) {
      long bit = 1L << number;
      if ((mask & bit) != 0) {
        out.printf(
            "  %2d  %-18s %s  %s%n",
            number,
            Capability.name(number),
            CapabilityMask.hex(bit),
            CapabilityDescriptions.of(number));
      }
    }
  }

  /** The Cap* lines of /proc/PID/status; a malformed line is left out. */
  private Map<String, Long> sets(int pid) throws IOException {
    String status = ProcFiles.read(proc.resolve(pid + "/status"));
    Map<String, Long> sets = new LinkedHashMap<>();
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && SETS.contains(line.substring(0, colon))) {
        CapabilityMask.parse(line.substring(colon + 1))
            .ifPresent(mask -> sets.put(line.substring(0, colon), mask));
      }
    }
    return sets;
  }
}
