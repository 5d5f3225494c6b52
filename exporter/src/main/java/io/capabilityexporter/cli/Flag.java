package io.capabilityexporter.cli;

/**
 * One flag of a command, declared once: what parses it, what {@code --help} lists and what an
 * unknown flag is compared with come from here.
 *
 * @param shortName the one-letter spelling ({@code o} for {@code -o}), or null
 * @param argument what the value is ({@code HOST:PORT}); for a switch, the values it may be given
 *     ({@code --audit-only[=true|false]}), or null
 * @param isSwitch given alone ({@code --unique}), not followed by a value
 * @param defaultValue the value when the flag is not given, shown by {@code --help}; or null
 */
record Flag(
    String name,
    String shortName,
    String argument,
    boolean isSwitch,
    String description,
    String defaultValue) {

  /** {@code --name=ARGUMENT}. */
  static Flag value(String name, String argument, String description) {
    return new Flag(name, null, argument, false, description, null);
  }

  /** {@code --name}, or {@code --name=false}. */
  static Flag toggle(String name, String description) {
    return new Flag(name, null, null, true, description, null);
  }

  Flag withDefault(Object value) {
    return new Flag(name, shortName, argument, isSwitch, description, value.toString());
  }

  Flag withShortName(String letter) {
    return new Flag(name, letter, argument, isSwitch, description, defaultValue);
  }

  Flag withValues(String values) {
    return new Flag(name, shortName, values, isSwitch, description, defaultValue);
  }

  /** As {@code --help} shows it: {@code -o, --output=FORMAT}, {@code --audit-only[=true|false]}. */
  String synopsis() {
    String spelled = (shortName == null ? "" : "-" + shortName + ", ") + "--" + name;
    if (argument == null) {
      return spelled;
    }
    return isSwitch ? spelled + "[=" + argument + "]" : spelled + "=" + argument;
  }

  /** The description, and the default when there is one. */
  String explanation() {
    return defaultValue == null ? description : description + " (default " + defaultValue + ")";
  }
}
