package io.capabilityexporter.mixin;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own _config, as the README shows it, changes what the mixin renders. */
class MixinConfigTest {
  private static final String JOB = "job=\"caps\",cluster=\"eu-1\"";
  private static final String NAMESPACES = "namespace=~\"shop|ci\"";
  private static final String PODS = "pod!~\"debug-.*\"";
  private static final String RUNBOOKS = "https://runbooks.example.com/capability-exporter/";
  private static final String MIXIN =
      """
      (import 'mixin.libsonnet') + {
        _config+:: {
          jobSelector: 'job="caps",cluster="eu-1"',
          namespaceSelector: 'namespace=~"shop|ci"',
          podSelector: 'pod!~"debug-.*"',
          runbookURLPattern: 'https://runbooks.example.com/capability-exporter/%s',
          alertFor+: { CapabilityExporterDown: '30m' },
        },
      }
      """;
  private static final List<String> WORKLOAD_DASHBOARDS =
      List.of("capability-overview.json", "capability-workload.json");

  @TempDir static Path dir;
  private static Path out;
  private static Map<String, Map<String, Object>> alerts;
  private static Map<String, List<String>> dashboards;

  @BeforeAll
  static void render() throws Exception {
    Path mixin = dir.resolve("my-mixin.jsonnet");
    Files.writeString(mixin, MIXIN);
    out = dir.resolve("out");
    Mixin.render(out, mixin);
    alerts = Mixin.alerts(out);
    dashboards = Mixin.dashboardQueries(out);
    assertThat(alerts).hasSizeGreaterThan(10);
    assertThat(dashboards)
        .containsOnlyKeys(
            "capability-overview.json",
            "capability-workload.json",
            "capability-exporter-health.json");
  }

  private static String expr(String alert) {
    return (String) alerts.get(alert).get("expr");
  }

  @SuppressWarnings("unchecked")
  private static String annotation(String alert, String name) {
    return ((Map<String, String>) alerts.get(alert).get("annotations")).get(name);
  }

  private static boolean onChecks(String alert) {
    return alert.startsWith("CapabilityUnexpected");
  }

  @Test
  void every_series_of_every_alert_carries_the_job_selector() {
    alerts.forEach(
        (name, rule) ->
            assertThat(Mixin.selectors(expr(name)))
                .as(name + ": " + expr(name))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.matchers()).startsWith(JOB)));
  }

  @Test
  void the_alerts_on_checks_see_the_selected_workloads_and_the_health_alerts_every_exporter() {
    assertThat(alerts.keySet().stream().filter(MixinConfigTest::onChecks)).hasSize(2);
    alerts.forEach(
        (name, rule) ->
            assertThat(Mixin.selectors(expr(name)))
                .as(name + ": " + expr(name))
                .allSatisfy(
                    s -> {
                      if (onChecks(name)) {
                        assertThat(s.matchers()).contains(NAMESPACES, PODS);
                      } else {
                        assertThat(s.matchers()).doesNotContain(NAMESPACES, PODS);
                      }
                    }));
  }

  @Test
  void runbook_urls_follow_the_pattern() {
    alerts.forEach(
        (name, rule) ->
            assertThat(annotation(name, "runbook_url")).as(name).isEqualTo(RUNBOOKS + name));
  }

  @Test
  void a_for_of_your_own_changes_the_alert_and_its_description_and_no_other() throws Exception {
    Map<String, Map<String, Object>> committed = Mixin.alerts(Mixin.ROOT);
    assertThat(committed.get("CapabilityExporterDown").get("for")).isEqualTo("10m");
    assertThat(committed.get("CapabilityExporterDown").get("annotations").toString())
        .contains("for 10 minutes");
    assertThat(alerts.get("CapabilityExporterDown").get("for")).isEqualTo("30m");
    assertThat(annotation("CapabilityExporterDown", "description"))
        .contains("for 30 minutes")
        .doesNotContain("10 minutes");
    assertThat(alerts.keySet()).isEqualTo(committed.keySet());
    alerts.forEach(
        (name, rule) -> {
          if (!name.equals("CapabilityExporterDown")) {
            assertThat(rule.get("for")).as(name).isEqualTo(committed.get(name).get("for"));
          }
        });
  }

  @Test
  void the_absent_alert_says_which_targets_it_looks_for() {
    // absent() has no labels: the description is all that names the selector.
    assertThat(annotation("CapabilityExporterAbsent", "description"))
        .contains("no target matching {" + JOB + "} for 15 minutes")
        .contains("needs target labels matching {" + JOB + "}")
        .doesNotContain(".*capability-exporter.*");
  }

  @Test
  void promtool_check_rules_accepts_the_render() throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool", "check", "rules"));
    Mixin.files(out).stream()
        .filter(file -> file.startsWith("alerts/"))
        .forEach(file -> command.add(out.resolve(file).toString()));
    Command.Result result = promtool(command);
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: 2 rules found", "SUCCESS: 11 rules found");
  }

  /** The selectors select: a deny of another job, namespace or pod does not fire. */
  @Test
  void the_unexpected_deny_alert_sees_only_the_selected_job_namespaces_and_pods() throws Exception {
    String fired =
        "capability_checks_total{job=\"caps\",cluster=\"eu-1\",namespace=\"shop\",pod=\"cart-0\","
            + "container=\"cart\",capability=\"CHOWN\",verdict=\"deny\",expected=\"false\"}";
    List<String> series =
        List.of(
            fired,
            fired.replace("job=\"caps\"", "job=\"capability-exporter\""),
            fired.replace("cluster=\"eu-1\"", "cluster=\"us-1\""),
            fired.replace("namespace=\"shop\"", "namespace=\"kube-system\""),
            fired.replace("pod=\"cart-0\"", "pod=\"debug-0\""));
    StringBuilder test =
        new StringBuilder("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
    for (String s : series) {
      // A deny at 5m: the series is new, which the alert's second term catches.
      test.append("      - series: '").append(s).append("'\n        values: '_x5 1x10'\n");
    }
    test.append("    promql_expr_test:\n      - eval_time: 6m\n        expr: |\n");
    expr("CapabilityUnexpectedDeny")
        .lines()
        .forEach(l -> test.append("          ").append(l).append('\n'));
    test.append("        exp_samples:\n          - labels: '").append(fired).append("'\n");
    test.append("            value: 1\n");
    Path file = dir.resolve("selectors.test.yml");
    Files.writeString(file, test);
    Command.Result result = promtool(List.of("promtool", "test", "rules", file.toString()));
    assertThat(result.status()).as(result.output() + test).isZero();
  }

  /** The workloads' series: what the namespace and pod selectors narrow. */
  private static final java.util.Set<String> WORKLOAD_METRICS =
      java.util.Set.of("capability_checks_total", "capability_runtime_checks_total");

  @Test
  void every_dashboard_query_carries_the_job_selector_and_the_workloads_the_others_too() {
    dashboards.forEach(
        (file, queries) -> {
          assertThat(queries).as(file).hasSizeGreaterThan(5);
          for (String query : queries) {
            assertThat(Mixin.selectors(query))
                .as(file + ": " + query)
                .isNotEmpty()
                .allSatisfy(
                    s -> {
                      assertThat(s.matchers()).startsWith(JOB);
                      if (WORKLOAD_METRICS.contains(s.metric())) {
                        assertThat(WORKLOAD_DASHBOARDS).contains(file);
                        assertThat(s.matchers()).contains(NAMESPACES, PODS);
                      } else {
                        assertThat(s.matchers()).doesNotContain(NAMESPACES, PODS);
                      }
                    });
          }
        });
  }

  private static Command.Result promtool(List<String> command) throws Exception {
    return Command.run(
        dir,
        Duration.ofMinutes(1),
        "`make test` installs it (Debian's prometheus package)",
        command);
  }
}
