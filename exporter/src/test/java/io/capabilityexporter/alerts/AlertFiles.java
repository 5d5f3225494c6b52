package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The repository's alerts/: rule files, their promtool tests under tests/, runbooks/. */
final class AlertFiles {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("alerts");
  static final Path TESTS = DIR.resolve("tests");
  static final Path RUNBOOKS = DIR.resolve("runbooks");

  private AlertFiles() {}

  /** alerts/*.rules.yml, the files Prometheus loads. */
  static List<Path> ruleFiles() throws IOException {
    return list(DIR, "*.rules.yml");
  }

  /** alerts/tests/*.yml, the files {@code promtool test rules} runs. */
  static List<Path> testFiles() throws IOException {
    return list(TESTS, "*.yml");
  }

  static List<Path> runbooks() throws IOException {
    return list(RUNBOOKS, "*.md");
  }

  static List<Path> list(Path dir, String glob) throws IOException {
    List<Path> found = new ArrayList<>();
    try (var stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(found::add);
    }
    assertThat(found).as(dir.resolve(glob).toString()).isNotEmpty();
    return found.stream().sorted().toList();
  }

  static Map<String, Object> yaml(Path file) throws IOException {
    return new Yaml().load(Files.readString(file));
  }

  /** Every alerting rule of every rule file, as the YAML holds it. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> alerts() throws IOException {
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Path file : ruleFiles()) {
      for (Map<String, Object> group : (List<Map<String, Object>>) yaml(file).get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          if (rule.containsKey("alert")) {
            alerts.add(rule);
          }
        }
      }
    }
    return alerts;
  }
}
