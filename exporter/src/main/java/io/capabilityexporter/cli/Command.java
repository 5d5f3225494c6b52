package io.capabilityexporter.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A command, declared once: its name, a one-line summary for the top-level usage, its flags and
 * what runs it. Its {@code --help} is generated from that, so the flags it lists are the flags it
 * parses.
 *
 * @param synopses what follows the command's name on each usage line ({@code [flags]})
 * @param operand the argument that is not a flag ({@code MASK}), or null when there is none
 * @param description what the command does, a paragraph or more, before the flags
 * @param notes what follows the flags (columns, environment), or empty
 */
record Command(
    String name,
    String summary,
    List<String> synopses,
    String operand,
    String description,
    List<Flag> flags,
    String notes,
    Action action) {

  /** Runs the command; the exit status out. */
  interface Action {
    int run(List<String> args, PrintStream out, PrintStream err)
        throws UsageException, InterruptedException;
  }

  /** The lines {@code --help} wraps flag descriptions at. */
  static final int WIDTH = 96;

  /** Between the widest flag and the descriptions. */
  private static final int GAP = 3;

  /** {@code capability-exporter NAME [flags]}, with its flags and no operand. */
  static Command withFlags(
      String name,
      String summary,
      String description,
      List<Flag> flags,
      String notes,
      Action action) {
    return new Command(name, summary, List.of("[flags]"), null, description, flags, notes, action);
  }

  /** {@code --help}: usage lines, description, the flags and the notes, each block apart. */
  String help() {
    StringBuilder help = new StringBuilder();
    for (String synopsis : synopses) {
      help.append(help.isEmpty() ? "Usage: " : "       ")
          .append(("capability-exporter " + name + " " + synopsis).strip())
          .append('\n');
    }
    List<String> blocks = new ArrayList<>();
    blocks.add(description);
    if (!flags.isEmpty()) {
      blocks.add(flagTable());
    }
    blocks.add(notes);
    for (String block : blocks) {
      if (!block.isBlank()) {
        help.append('\n').append(block.stripTrailing()).append('\n');
      }
    }
    return help.toString();
  }

  private String flagTable() {
    int column = flags.stream().mapToInt(flag -> flag.synopsis().length()).max().orElse(0) + GAP;
    StringBuilder table = new StringBuilder();
    for (Flag flag : flags) {
      List<String> lines = wrap(flag.explanation(), WIDTH - 2 - column);
      table.append("  ").append(pad(flag.synopsis(), column)).append(lines.get(0)).append('\n');
      for (String line : lines.subList(1, lines.size())) {
        table.append("  ").append(pad("", column)).append(line).append('\n');
      }
    }
    return table.toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  /** Words into lines of at most {@code width}; a longer word has a line of its own. */
  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" +")) {
      if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.isEmpty() ? "" : " ").append(word);
    }
    lines.add(line.toString());
    return lines;
  }
}
