package io.capabilityexporter.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Grafana's template syntax, replaced before the end-to-end test runs the queries. */
class DashboardQueriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A variable left: $name, ${name}, [[name]]; "$1" in label_replace is no variable. */
  private static final String LEFT = "\\$\\{?[A-Za-z_]|\\[\\[[A-Za-z_]";

  private static final String DASHBOARD =
      """
      {
        "uid": "d", "title": "D",
        "templating": {"list": [
          {"name": "datasource", "type": "datasource", "query": "prometheus"},
          {"name": "namespace", "type": "query", "datasource": {"type": "prometheus", "uid": "${datasource}"},
           "query": {"query": "label_values(capability_checks_total{job=~\\"$job\\"}, namespace)", "refId": "n"}},
          {"name": "pod", "type": "query", "query": "label_values(pod)"},
          {"name": "job", "type": "custom", "current": {"value": ["capability-exporter"]}},
          {"name": "resolution", "type": "interval", "current": {"value": "$__auto_interval_resolution"},
           "options": [{"value": "5m"}]},
          {"name": "logs", "type": "query", "datasource": {"type": "loki"}, "query": "label_values(app)"}
        ]},
        "panels": [
          {"id": 1, "type": "timeseries", "title": "Rate",
           "datasource": {"type": "prometheus", "uid": "${datasource}"},
           "targets": [{"expr": "sum(rate(capability_checks_total{namespace=~\\"$namespace\\",pod=~\\"${pod:regex}\\",container=~\\"[[container]]\\"}[$__rate_interval]))"},
                       {"expr": "", "refId": "B"},
                       {"datasource": {"type": "loki"}, "expr": "{app=\\"x\\"}"}]},
          {"id": 2, "type": "text", "title": "About"},
          {"id": 3, "type": "row", "title": "More", "collapsed": true, "panels": [
            {"id": 4, "type": "table", "title": "Range",
             "targets": [{"expr": "increase(capability_checks_total{job=\\"$job\\"}[$__range]) > 0 and up offset $resolution"}]}
          ]}
        ]
      }
      """;

  @Test
  void replaces_variables_as_grafana_does_with_all_selected() throws Exception {
    DashboardQueries queries = new DashboardQueries(JSON.readTree(DASHBOARD));
    assertThat(queries.panels())
        .extracting(DashboardQueries.PanelQuery::panelId, DashboardQueries.PanelQuery::expr)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1,
                "sum(rate(capability_checks_total{namespace=~\".*\",pod=~\".*\",container=~\"[[container]]\"}[1m]))"),
            org.assertj.core.groups.Tuple.tuple(
                4,
                "increase(capability_checks_total{job=\"capability-exporter\"}[1h]) > 0 and up"
                    + " offset 5m"));
  }

  @Test
  void turns_variable_queries_into_what_prometheus_answers() throws Exception {
    DashboardQueries queries = new DashboardQueries(JSON.readTree(DASHBOARD));
    assertThat(queries.variables())
        .extracting(DashboardQueries.VariableQuery::kind, DashboardQueries.VariableQuery::argument)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                DashboardQueries.VariableQuery.Kind.SERIES,
                "capability_checks_total{job=~\"capability-exporter\"}"),
            org.assertj.core.groups.Tuple.tuple(DashboardQueries.VariableQuery.Kind.LABEL, "pod"));
  }

  @Test
  void every_dashboard_in_grafana_leaves_no_variable_unreplaced() throws Exception {
    for (Path file : AlertFiles.list(AlertFiles.ROOT.resolve("grafana"), "*.json")) {
      JsonNode dashboard = JSON.readTree(Files.readString(file));
      DashboardQueries queries = new DashboardQueries(dashboard);
      assertThat(queries.panels()).as(file.toString()).isNotEmpty();
      assertThat(queries.panels())
          .allSatisfy(
              query -> assertThat(query.expr()).as(query.toString()).doesNotContainPattern(LEFT));
      assertThat(queries.variables())
          .allSatisfy(
              query ->
                  assertThat(query.argument()).as(query.toString()).doesNotContainPattern(LEFT));
    }
  }
}
