package io.capabilityexporter.cli;

import io.capabilityexporter.yaml.Suggestion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --name=value}, {@code --name value} and {@code -o value} against the flags a
 * command declares, so a typo is an error naming the flag (and the closest known one) rather than
 * something silently ignored.
 */
final class Flags {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private final Command command;
  private final Map<String, String> values = new LinkedHashMap<>();
  private String operand;

  private Flags(Command command) {
    this.command = command;
  }

  static Flags parse(Command command, List<String> args) throws UsageException {
    Flags flags = new Flags(command);
    for (int i = 0; i < args.size(); i++) {
      String arg = longForm(command, args.get(i));
      if (!arg.startsWith("--")) {
        if (command.operand() == null || flags.operand != null) {
          throw new UsageException(
              command.name()
                  + ": unexpected argument '"
                  + arg
                  + "'; see `capability-exporter "
                  + command.name()
                  + " --help`");
        }
        flags.operand = arg;
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      Flag flag = flags.declared(name).orElseThrow(() -> unknown(command, name));
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (flag.isSwitch()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(command.name() + ": flag --" + name + " needs a value");
      }
      flags.values.put(name, value);
    }
    return flags;
  }

  /** {@code -o json} and {@code -o=json} mean {@code --output=json}, as in kubectl. */
  private static String longForm(Command command, String arg) {
    for (Flag flag : command.flags()) {
      String spelled = "-" + flag.shortName();
      if (flag.shortName() != null && (arg.equals(spelled) || arg.startsWith(spelled + "="))) {
        return "--" + flag.name() + arg.substring(spelled.length());
      }
    }
    return arg;
  }

  private Optional<Flag> declared(String name) {
    return command.flags().stream().filter(flag -> flag.name().equals(name)).findFirst();
  }

  /** Names the flag, the closest known one (the first declared, when two are as close), all. */
  private static UsageException unknown(Command command, String name) {
    List<String> known = new ArrayList<>();
    for (Flag flag : command.flags()) {
      known.add("--" + flag.name());
    }
    return new UsageException(
        command.name()
            + ": unknown flag --"
            + name
            + Suggestion.didYouMean("--" + name, known)
            + "; known flags: "
            + String.join(", ", known));
  }

  /** The argument that is not a flag ({@code decode MASK}), if the command takes one. */
  Optional<String> operand() {
    return Optional.ofNullable(operand);
  }

  /** As given, else the declared default; null when neither. */
  String get(String name) {
    String given = values.get(name);
    if (given != null) {
      return given;
    }
    return declared(name)
        .orElseThrow(() -> new IllegalArgumentException(command.name() + " has no flag " + name))
        .defaultValue();
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** A duration written as Prometheus writes them: {@code 90s}, {@code 5m}, {@code 1h}. */
  Duration duration(String name) throws UsageException {
    String value = get(name);
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new UsageException(
          "--" + name + "=" + value + " is not a duration: write it as 90s, 5m or 1h");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  int positiveInt(String name, int max) throws UsageException {
    String value = get(name);
    try {
      int number = Integer.parseInt(value);
      if (number > 0 && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + "=" + value + " is not a whole number from 1 to " + max);
  }

  /**
   * A power of two from {@code min} to {@code max}, as the kernel sizes slot arrays and ring
   * buffers; bytes may be written with {@code KiB} or {@code MiB} ({@code 4MiB}).
   */
  int powerOfTwo(String name, int min, int max) throws UsageException {
    String value = get(name);
    String digits = value;
    int unit = 1;
    if (value.endsWith("KiB") || value.endsWith("MiB")) {
      unit = value.endsWith("KiB") ? 1 << 10 : 1 << 20;
      digits = value.substring(0, value.length() - 3);
    }
    try {
      long number = Long.parseLong(digits) * unit;
      if (number >= min && number <= max && Long.bitCount(number) == 1) {
        return (int) number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        "--" + name + "=" + value + " is not a power of two from " + min + " to " + max);
  }
}
