package io.capabilityexporter.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Dispatches the commands. Exit status: 0 done; 2 bad usage or configuration; 1 could not run (no
 * BPF, not root...), each with a message that names the fault and the fix.
 */
public final class Cli {
  static final String USAGE =
      """
      Usage: capability-exporter [COMMAND] [flags]

      Commands:
        run       count capability checks and serve them to Prometheus (the default)
        trace     print capability checks live
        decode    the capabilities in a mask (decode 000001ffffffffff), or of a process (--pid)
        profile   print recorded profiles and the securityContext each implies
        version   print the version

      `capability-exporter COMMAND --help` describes a command's flags.
      """;

  private static final List<String> TOP_LEVEL = List.of("--help", "-h", "--version");

  private final PrintStream out;
  private final PrintStream err;

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] argv) {
    List<String> args = Arrays.asList(argv);
    // Like Prometheus's exporters, flags alone mean `run`.
    boolean implicitRun =
        args.isEmpty() || (args.get(0).startsWith("--") && !TOP_LEVEL.contains(args.get(0)));
    String command = implicitRun ? "run" : args.get(0);
    List<String> rest = implicitRun ? args : args.subList(1, args.size());
    try {
      return switch (command) {
        case "run" -> {
          if (rest.contains("--help") || rest.contains("-h")) {
            out.print(RunCommand.USAGE);
            yield 0;
          }
          yield new RunCommand(err, version()).run(rest);
        }
        case "trace" -> {
          if (rest.contains("--help") || rest.contains("-h")) {
            out.print(TraceCommand.USAGE);
            yield 0;
          }
          yield new TraceCommand(out, err, StopSignal.onSigintOrSigterm()).run(rest);
        }
        case "decode" -> {
          if (rest.contains("--help") || rest.contains("-h")) {
            out.print(DecodeCommand.USAGE);
            yield 0;
          }
          yield new DecodeCommand(out, err).run(rest);
        }
        case "profile" -> {
          if (rest.contains("--help") || rest.contains("-h")) {
            out.print(ProfileCommand.USAGE);
            yield 0;
          }
          yield new ProfileCommand(out, err).run(rest);
        }
        case "version", "--version" -> {
          out.println("capability-exporter " + version());
          yield 0;
        }
        case "help", "--help", "-h" -> {
          out.print(USAGE);
          yield 0;
        }
        default ->
            throw new UsageException(
                "unknown command '"
                    + command
                    + "'; commands: run, trace, decode, profile, version (see --help)");
      };
    } catch (UsageException e) {
      err.println("capability-exporter: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static String version() {
    String version = Cli.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
