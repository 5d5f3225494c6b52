package io.capabilityexporter.mixin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerts/*.rules.yml and grafana/*.json are what mixin/ renders now, byte for byte. */
class MixinRenderTest {
  private static final String FIX = "run `make mixin` and commit the result";

  @TempDir static Path out;

  @BeforeAll
  static void render() throws Exception {
    Mixin.render(out, null);
  }

  @Test
  void the_committed_rule_files_and_dashboards_are_what_the_mixin_renders() throws Exception {
    List<String> rendered = Mixin.files(out);
    assertThat(rendered)
        .contains(
            "alerts/capability-exporter.rules.yml",
            "alerts/capability-exporter-health.rules.yml",
            "grafana/capability-overview.json",
            "grafana/capability-workload.json",
            "grafana/capability-exporter-health.json");
    assertThat(Mixin.files(Mixin.ROOT))
        .as("alerts/*.rules.yml and grafana/*.json are the mixin's: " + FIX)
        .containsExactlyElementsOf(rendered);
    for (String file : rendered) {
      String now = Files.readString(out.resolve(file));
      String committed = Files.readString(Mixin.ROOT.resolve(file));
      if (!committed.equals(now)) {
        throw new AssertionError(
            file + " is stale: " + FIX + ". " + firstDifference(committed, now));
      }
    }
  }

  @Test
  void every_rendered_file_ends_with_exactly_one_newline() throws Exception {
    // The chart puts each in a YAML literal block, which keeps exactly one.
    for (String file : Mixin.files(out)) {
      assertThat(Files.readString(out.resolve(file)))
          .as(file)
          .endsWith("\n")
          .doesNotEndWith("\n\n");
    }
  }

  private static String firstDifference(String committed, String now) {
    List<String> a = committed.lines().toList();
    List<String> b = now.lines().toList();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String left = i < a.size() ? a.get(i) : "(end of file)";
      String right = i < b.size() ? b.get(i) : "(end of file)";
      if (!left.equals(right)) {
        return "Line " + (i + 1) + " committed:\n  " + left + "\nrendered:\n  " + right;
      }
    }
    return "The line ends differ.";
  }
}
