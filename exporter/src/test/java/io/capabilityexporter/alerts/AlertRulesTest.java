package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring mixins' conventions, held by every alert: a severity, a summary and a templated
 * description, a runbook in the repository, and promtool tests that fire it and that do not.
 */
class AlertRulesTest {
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smh])");

  @SuppressWarnings("unchecked")
  private static Map<String, String> map(Map<String, Object> rule, String key) {
    return (Map<String, String>) rule.get(key);
  }

  private static String name(Map<String, Object> rule) {
    return (String) rule.get("alert");
  }

  /** The alerts on the workloads' checks, as opposed to the exporter's health. */
  private static boolean onChecks(Map<String, Object> rule) {
    return name(rule).startsWith("CapabilityUnexpected");
  }

  /** absent() has no labels to name. */
  private static boolean isAbsent(Map<String, Object> rule) {
    return ((String) rule.get("expr")).startsWith("absent(");
  }

  static Duration duration(String text) {
    Matcher matcher = DURATION.matcher(text);
    assertThat(matcher.matches()).as("a duration such as 0m, 30s or 1h: " + text).isTrue();
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  @Test
  void every_alert_has_a_severity_a_summary_a_description_and_a_runbook_in_the_repository()
      throws Exception {
    List<Map<String, Object>> alerts = AlertFiles.alerts();
    assertThat(alerts).extracting(AlertRulesTest::name).doesNotHaveDuplicates();
    for (Map<String, Object> rule : alerts) {
      String name = name(rule);
      assertThat(name).matches("Capability[A-Z][A-Za-z]+");
      assertThat(map(rule, "labels")).as(name).containsOnlyKeys("severity");
      assertThat(map(rule, "labels").get("severity")).as(name).isIn(SEVERITIES);
      Map<String, String> annotations = map(rule, "annotations");
      assertThat(annotations).as(name).containsOnlyKeys("summary", "description", "runbook_url");
      if (!isAbsent(rule)) {
        assertThat(annotations.get("description")).as(name).contains("{{ $labels.");
      }
      assertThat(annotations.get("runbook_url"))
          .as(name)
          .isEqualTo("alerts/runbooks/" + name + ".md");
      assertThat(AlertFiles.ROOT.resolve(annotations.get("runbook_url"))).as(name).isRegularFile();
    }
  }

  @Test
  void the_alerts_on_checks_fire_at_once_naming_the_workload_and_the_health_alerts_wait()
      throws Exception {
    List<Map<String, Object>> alerts = AlertFiles.alerts();
    assertThat(alerts.stream().filter(AlertRulesTest::onChecks).map(AlertRulesTest::name))
        .containsExactly("CapabilityUnexpectedDeny", "CapabilityUnexpectedSysAdmin");
    for (Map<String, Object> rule : alerts) {
      Duration wait = duration((String) rule.get("for"));
      if (onChecks(rule)) {
        assertThat(wait).as(name(rule)).isZero();
        for (String label : List.of("namespace", "pod", "container", "capability")) {
          assertThat(map(rule, "annotations").get("description"))
              .as(name(rule))
              .contains("$labels." + label);
        }
      } else {
        assertThat(wait).as(name(rule)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(30));
        if (!isAbsent(rule)) {
          assertThat(map(rule, "annotations").get("description"))
              .as(name(rule))
              .contains("{{ $labels.instance }}");
        }
      }
    }
  }

  @Test
  void every_runbook_belongs_to_an_alert_and_says_meaning_impact_diagnosis_and_mitigation()
      throws Exception {
    Set<String> names = new HashSet<>();
    AlertFiles.alerts().forEach(rule -> names.add(name(rule)));
    for (Path runbook : AlertFiles.runbooks()) {
      String name = runbook.getFileName().toString().replaceFirst("\\.md$", "");
      assertThat(names).as("the alert of " + runbook).contains(name);
      String text = Files.readString(runbook);
      assertThat(text).as(runbook.toString()).startsWith("# " + name + "\n");
      assertThat(text.lines().filter(line -> line.startsWith("## ")))
          .as(runbook.toString())
          .containsExactly("## Meaning", "## Impact", "## Diagnosis", "## Mitigation");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void every_alert_has_a_promtool_test_that_fires_it_and_one_that_does_not() throws Exception {
    Set<String> fired = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    Set<Path> loaded = new HashSet<>();
    for (Path file : AlertFiles.testFiles()) {
      Map<String, Object> tests = AlertFiles.yaml(file);
      for (String ruleFile : (List<String>) tests.get("rule_files")) {
        loaded.add(file.getParent().resolve(ruleFile).normalize());
      }
      for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
        for (Map<String, Object> check :
            (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
          List<?> expected = (List<?>) check.get("exp_alerts");
          (expected == null || expected.isEmpty() ? quiet : fired)
              .add((String) check.get("alertname"));
        }
      }
    }
    assertThat(loaded).containsExactlyInAnyOrderElementsOf(AlertFiles.ruleFiles());
    List<String> names = AlertFiles.alerts().stream().map(AlertRulesTest::name).toList();
    assertThat(fired).as("alerts some promtool test fires").containsAll(names);
    assertThat(quiet).as("alerts some promtool test expects quiet").containsAll(names);
  }
}
