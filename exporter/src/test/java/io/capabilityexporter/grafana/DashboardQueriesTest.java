package io.capabilityexporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboards' PromQL names what the exporter serves, the way Grafana and Prometheus want. */
class DashboardQueriesTest {
  /** The series' labels (docs/metrics.md) and the scrape's target labels (deploy/ adds node). */
  private static final Set<String> LABELS =
      Set.of(
          "namespace",
          "pod",
          "container",
          "capability",
          "verdict",
          "expected",
          "version",
          "javaversion",
          "hook",
          "audit_known",
          "reason",
          "map",
          "program",
          "result",
          "instance",
          "job",
          "node");

  private static final Set<String> GRAFANA_VARIABLES =
      Set.of("__rate_interval", "__range", "__interval");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

  private static List<Dashboards.Query> queries;
  private static List<String> legends;

  @BeforeAll
  static void load() {
    queries = new ArrayList<>();
    legends = new ArrayList<>();
    Dashboards.all()
        .forEach(
            (file, dashboard) -> {
              queries.addAll(Dashboards.queries(file, dashboard));
              Dashboards.panels(dashboard)
                  .forEach(
                      p ->
                          p.path("targets")
                              .forEach(t -> legends.add(t.path("legendFormat").asText())));
            });
    assertThat(queries).hasSizeGreaterThan(30);
  }

  /** Metric names the metrics reference (docs/metrics.md) lists, with a summary's *_seconds. */
  private static Set<String> documentedMetrics() throws Exception {
    String section = Files.readString(Dashboards.ROOT.resolve("docs/metrics.md"));
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("`(capability_[a-z0-9_]*[a-z0-9])(?:\\{[^`]*})?`").matcher(section);
    while (m.find()) {
      names.add(m.group(1));
      if (m.group(1).endsWith("_seconds")) {
        // A Micrometer Timer: a summary with a gauge of the recent maximum.
        for (String suffix : List.of("_count", "_sum", "_max")) {
          names.add(m.group(1) + suffix);
        }
      }
    }
    return names;
  }

  @Test
  void reads_metric_and_label_names_out_of_a_query() {
    String expr =
        "sum by (node) (label_replace(rate(capability_checks_total{node=\"\"}[$__rate_interval]),"
            + " \"node\", \"$1\", \"instance\", \"(.*)\") or up == 1 and on (job, instance)"
            + " capability_exporter_build_info offset $__range)";
    assertThat(PromQl.metricNames(expr))
        .containsExactly("capability_checks_total", "up", "capability_exporter_build_info");
    assertThat(PromQl.labelNames(expr)).containsExactlyInAnyOrder("node", "job", "instance");
    assertThat(PromQl.ranges(expr)).containsExactly("$__rate_interval");
    assertThat(PromQl.rateArguments(expr))
        .containsExactly("rate(capability_checks_total{node=\"\"}[$__rate_interval])");
    assertThat(PromQl.labelNames("label_values(capability_checks_total{pod=~\"$pod\"}, container)"))
        .containsExactly("container", "pod");
  }

  @Test
  void every_metric_is_one_the_readme_lists_or_up() throws Exception {
    Set<String> known = documentedMetrics();
    assertThat(known)
        .as("docs/metrics.md's tables")
        .contains("capability_checks_total", "capability_exporter_build_info")
        .hasSizeGreaterThan(15);
    known.add("up");
    for (Dashboards.Query query : queries) {
      assertThat(PromQl.metricNames(query.expr())).as(query.where()).isNotEmpty().isSubsetOf(known);
    }
  }

  @Test
  void every_label_in_a_query_or_legend_is_one_the_series_carry() {
    for (Dashboards.Query query : queries) {
      assertThat(PromQl.labelNames(query.expr())).as(query.where()).isSubsetOf(LABELS);
    }
    for (String legend : legends) {
      Matcher m = LEGEND_LABEL.matcher(legend);
      while (m.find()) {
        assertThat(m.group(1)).as(legend).isIn(LABELS);
      }
    }
  }

  @Test
  void rates_and_increases_use_grafanas_intervals_and_ranges_nothing_fixed() {
    for (Dashboards.Query query : queries) {
      assertThat(PromQl.ranges(query.expr()))
          .as(query.where())
          .allSatisfy(range -> assertThat(range).isIn("$__rate_interval", "$__range"));
      assertThat(PromQl.rateArguments(query.expr()))
          .as(query.where())
          .allSatisfy(call -> assertThat(call).containsAnyOf("[$__rate_interval]", "[$__range]"));
    }
  }

  @Test
  void queries_use_only_variables_the_end_to_end_test_substitutes_and_match_them_by_regex() {
    Set<String> substituted = new HashSet<>();
    PromQl.E2E_SUBSTITUTIONS.keySet().forEach(name -> substituted.add(name.substring(1)));
    for (Dashboards.Query query : queries) {
      Matcher m = VARIABLE.matcher(query.expr());
      while (m.find()) {
        if (m.group(1).matches("\\d+")) {
          continue; // label_replace's $1
        }
        assertThat(m.group(1)).as(query.where()).isIn(substituted);
        if (!GRAFANA_VARIABLES.contains(m.group(1))) {
          // A multi-value or All selection becomes a regex: only =~ takes it.
          assertThat(query.expr()).as(query.where()).contains("=~\"$" + m.group(1) + "\"");
          assertThat(query.expr())
              .as(query.where())
              .doesNotContainPattern("(?<!=~)\"\\$" + m.group(1) + "\"");
        }
      }
      String expr = PromQl.substituted(query.expr());
      assertThat(PromQl.balanced(expr)).as(query.where() + ": " + expr).isTrue();
      assertThat(expr.replace("\"$1\"", "")).as(query.where()).doesNotContain("$");
    }
  }

  /** promtool parses each query as a recording rule's expression (`make deps` installs it). */
  @Test
  void promtool_parses_every_query_once_the_variables_are_substituted(@TempDir Path dir)
      throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      String expr = PromQl.substituted(PromQl.selectorPart(queries.get(i).expr()));
      rules.append("      - record: dashboard_query_").append(i).append('\n');
      rules.append("        expr: |\n");
      expr.lines().forEach(line -> rules.append("          ").append(line).append('\n'));
    }
    Path file = dir.resolve("queries.rules.yml");
    Files.writeString(file, rules);
    Command.Result promtool =
        Command.run(
            dir,
            Duration.ofMinutes(1),
            "`make deps` installs it (Debian's prometheus package)",
            List.of("promtool", "check", "rules", file.toString()));
    assertThat(promtool.status()).as(promtool.output() + rules).isZero();
  }
}
