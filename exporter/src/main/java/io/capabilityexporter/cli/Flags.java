package io.capabilityexporter.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name=value} and {@code --name value} flags against the set a command knows, so a
 * typo is an error naming the flag rather than something silently ignored.
 */
final class Flags {
  private final Map<String, String> values = new LinkedHashMap<>();

  private Flags() {}

  static Flags parse(String command, List<String> args, Set<String> known, Set<String> switches)
      throws UsageException {
    Flags flags = new Flags();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException(
            command
                + ": unexpected argument '"
                + arg
                + "'; see `capability-exporter "
                + command
                + " --help`");
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (switches.contains(name)) {
        flags.values.put(name, equals < 0 ? "true" : arg.substring(equals + 1));
        continue;
      }
      if (!known.contains(name)) {
        throw new UsageException(
            command
                + ": unknown flag --"
                + name
                + "; known flags: --"
                + String.join(", --", known));
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(command + ": flag --" + name + " needs a value");
      }
      flags.values.put(name, value);
    }
    return flags;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** A duration written as Prometheus writes them: {@code 90s}, {@code 5m}, {@code 1h}. */
  Duration duration(String name, Duration fallback) throws UsageException {
    if (!values.containsKey(name)) {
      return fallback;
    }
    String value = values.get(name);
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(value);
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

  int positiveInt(String name, int fallback, int max) throws UsageException {
    if (!values.containsKey(name)) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(values.get(name));
      if (value > 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(
        "--" + name + "=" + values.get(name) + " is not a whole number from 1 to " + max);
  }

  /** {@code -o json} and {@code -o=json} mean {@code --output=json}, as in kubectl. */
  static List<String> withShortOutput(List<String> args) {
    List<String> normalized = new java.util.ArrayList<>();
    for (String arg : args) {
      if (arg.equals("-o")) {
        normalized.add("--output");
      } else if (arg.startsWith("-o=")) {
        normalized.add("--output=" + arg.substring(3));
      } else {
        normalized.add(arg);
      }
    }
    return normalized;
  }
}
