package io.capabilityexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's flag table is what {@code run} parses: every flag, each with the default
 * the code declares, so a default changed in one place cannot stay documented as the old one.
 */
class DocumentedFlagsTest {
  /** A row of the table: {@code | `--name=ARG` | `default` or none | meaning |}. */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `--([a-z.-]+)(?:=[A-Z:]+)?` \\| (?:`([^`]*)`|none) \\|", Pattern.MULTILINE);

  @Test
  void the_flag_table_lists_runs_flags_with_their_defaults() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    String table = doc.substring(doc.indexOf("## Flags"));
    table = table.substring(0, table.indexOf("\n\n", table.indexOf("| flag |")));
    Map<String, String> documented = new TreeMap<>();
    Matcher row = ROW.matcher(table);
    while (row.find()) {
      documented.put(row.group(1), String.valueOf(row.group(2)));
    }
    Map<String, String> declared = new TreeMap<>();
    for (Flag flag : RunCommand.COMMAND.flags()) {
      declared.put(flag.name(), String.valueOf(flag.defaultValue()));
    }
    assertThat(documented)
        .as("docs/configuration.md's flag table (flag: default) against `run --help`")
        .isEqualTo(declared);
  }
}
