package io.capabilityexporter.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The repository's shell scripts (the launcher, make e2e's, the benchmarks', CI's) in one style,
 * shfmt's with two-space indents and indented case patterns, as Spotless holds the Java to
 * google-java-format. To fix: {@code shfmt -w -i 2 -ci FILE}.
 */
class ShellFormatTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String INSTALL = "`make deps` installs it (Debian's shfmt package)";
  private static final List<String> STYLE = List.of("-i", "2", "-ci");

  @Test
  void every_shell_script_is_formatted_by_shfmt() throws Exception {
    List<String> scripts = scripts();
    assertThat(scripts)
        .contains("bin/capability-exporter", "e2e/run.sh", "bench/lib.sh", ".ci/run");

    List<String> command = new ArrayList<>(List.of("shfmt", "-d"));
    command.addAll(STYLE);
    command.addAll(scripts);
    Command.Result shfmt = Command.run(ROOT, Duration.ofMinutes(1), INSTALL, command);
    assertThat(shfmt.status())
        .as(
            "shfmt -d %s: the differences (shfmt -w applies them)\n%s",
            String.join(" ", STYLE), shfmt.output())
        .isZero();
  }

  /** What shfmt takes for a shell script (by extension or shebang), build output left out. */
  private static List<String> scripts() throws Exception {
    Command.Result found =
        Command.run(ROOT, Duration.ofMinutes(1), INSTALL, List.of("shfmt", "-f", "."));
    assertThat(found.status()).as(found.output()).isZero();
    return found.stdout().lines().filter(path -> !path.contains("target/")).sorted().toList();
  }
}
