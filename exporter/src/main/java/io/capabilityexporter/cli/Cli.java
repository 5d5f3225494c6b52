package io.capabilityexporter.cli;

import io.capabilityexporter.yaml.Suggestion;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Dispatches the commands. Exit status: 0 done; 2 bad usage or configuration; 1 could not run (no
 * BPF, not root...), each with a message that names the fault and the fix.
 */
public final class Cli {
  /** Flags that stand for a command: {@code --version} is {@code version}. */
  private static final Map<String, String> TOP_LEVEL =
      Map.of("--help", "help", "-h", "help", "--version", "version");

  private final PrintStream out;
  private final PrintStream err;
  private final List<Command> commands =
      List.of(
          RunCommand.COMMAND,
          TraceCommand.COMMAND,
          DecodeCommand.COMMAND,
          ProfileCommand.COMMAND,
          simple(
              "version",
              "print the version",
              "Prints the version of capability-exporter.",
              (args, out, err) -> {
                out.println("capability-exporter " + version());
                return 0;
              }),
          simple(
              "help",
              "print this help",
              "Prints the commands, each with what it does.",
              (args, out, err) -> {
                out.print(usage());
                return 0;
              }));

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int run(String[] argv) {
    List<String> args = Arrays.asList(argv);
    // Like Prometheus's exporters, flags alone mean `run`.
    boolean implicitRun =
        args.isEmpty() || (args.get(0).startsWith("--") && !TOP_LEVEL.containsKey(args.get(0)));
    String name = implicitRun ? "run" : TOP_LEVEL.getOrDefault(args.get(0), args.get(0));
    List<String> rest = implicitRun ? args : args.subList(1, args.size());
    try {
      Command command = command(name);
      if (rest.contains("--help") || rest.contains("-h")) {
        out.print(command.name().equals("help") ? usage() : command.help());
        return 0;
      }
      return command.action().run(rest, out, err);
    } catch (UsageException e) {
      err.println("capability-exporter: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private Command command(String name) throws UsageException {
    List<String> names = commands.stream().map(Command::name).toList();
    return commands.stream()
        .filter(command -> command.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new UsageException(
                    "unknown command '"
                        + name
                        + "'"
                        + Suggestion.didYouMean(name, names)
                        + "; commands: "
                        + String.join(", ", names)
                        + " (see --help)"));
  }

  /** The top-level usage: the commands, each with its summary. */
  String usage() {
    int column = commands.stream().mapToInt(command -> command.name().length()).max().orElse(0);
    StringBuilder usage =
        new StringBuilder("Usage: capability-exporter [COMMAND] [flags]\n\nCommands:\n");
    for (Command command : commands) {
      usage.append(
          String.format("  %-" + (column + 3) + "s%s\n", command.name(), command.summary()));
    }
    return usage
        .append("\n`capability-exporter COMMAND --help` describes a command's flags.\n")
        .toString();
  }

  /** A command without flags or more to say than its summary. */
  private static Command simple(
      String name, String summary, String description, Command.Action action) {
    return new Command(name, summary, List.of(""), null, description, List.of(), "", action);
  }

  static String version() {
    String version = Cli.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
