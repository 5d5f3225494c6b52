package io.capabilityexporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Grafana's template syntax, replaced before the end-to-end test runs the queries. */
class GrafanaVariablesTest {
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
    assertThat(Dashboards.panelQueries(JSON.readTree(DASHBOARD)))
        .extracting(Dashboards.PanelQuery::panelId, Dashboards.PanelQuery::expr)
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
    assertThat(Dashboards.variableQueries(JSON.readTree(DASHBOARD)))
        .extracting(Dashboards.VariableQuery::kind, Dashboards.VariableQuery::argument)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Dashboards.VariableQuery.Kind.SERIES,
                "capability_checks_total{job=~\"capability-exporter\"}"),
            org.assertj.core.groups.Tuple.tuple(Dashboards.VariableQuery.Kind.LABEL, "pod"));
  }

  @Test
  void every_dashboard_in_grafana_leaves_no_variable_unreplaced() throws Exception {
    for (var file : Dashboards.all().entrySet()) {
      JsonNode dashboard = file.getValue();
      assertThat(Dashboards.panelQueries(dashboard)).as(file.getKey()).isNotEmpty();
      assertThat(Dashboards.panelQueries(dashboard))
          .allSatisfy(
              query -> assertThat(query.expr()).as(query.toString()).doesNotContainPattern(LEFT));
      assertThat(Dashboards.variableQueries(dashboard))
          .allSatisfy(
              query ->
                  assertThat(query.argument()).as(query.toString()).doesNotContainPattern(LEFT));
    }
  }
}
