package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What CI and a user run on alerts/: the rules load, and their promtool tests pass. */
class PromtoolTest {

  @Test
  void promtool_check_rules_accepts_every_rule_file() throws Exception {
    List<Path> files = AlertFiles.ruleFiles();
    Promtool.Run run = Promtool.run(List.of("check", "rules"), files).assertSucceeded();
    for (Path file : files) {
      assertThat(run.output())
          .as(run.output())
          .contains("Checking " + AlertFiles.ROOT.relativize(file));
    }
  }

  @Test
  void promtool_test_rules_passes_every_test_file() throws Exception {
    List<Path> files = AlertFiles.testFiles();
    Promtool.Run run = Promtool.run(List.of("test", "rules"), files).assertSucceeded();
    assertThat(run.output().lines().filter(line -> line.strip().equals("SUCCESS")))
        .as(run.output())
        .hasSize(files.size());
  }
}
