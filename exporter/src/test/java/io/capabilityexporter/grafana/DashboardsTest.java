package io.capabilityexporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** grafana/*.json: dashboards Grafana imports as they are, in the monitoring mixins' ways. */
class DashboardsTest {
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "table", "stat", "text");

  /** The mixin's default _config.jobSelector. */
  private static final String JOB = "job=~\".*capability-exporter.*\"";

  private static Map<String, JsonNode> dashboards;

  @BeforeAll
  static void load() {
    dashboards = Dashboards.all();
  }

  @Test
  void ships_the_overview_the_workload_view_and_the_exporters_health() {
    assertThat(dashboards)
        .containsOnlyKeys(
            "capability-overview.json",
            "capability-workload.json",
            "capability-exporter-health.json");
    dashboards.forEach(
        (file, dashboard) ->
            assertThat(dashboard.path("uid").asText())
                .as(file)
                .isEqualTo(file.substring(0, file.length() - ".json".length())));
  }

  @Test
  void uids_and_titles_are_unique_across_dashboards() {
    List<String> uids = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    dashboards
        .values()
        .forEach(
            d -> {
              uids.add(d.path("uid").asText());
              titles.add(d.path("title").asText());
            });
    assertThat(uids).doesNotHaveDuplicates().allSatisfy(uid -> assertThat(uid).hasSizeLessThan(41));
    assertThat(titles).doesNotHaveDuplicates().doesNotContain("");
  }

  @Test
  void each_is_editable_refreshes_every_30s_and_carries_the_project_tag() {
    dashboards.forEach(
        (file, dashboard) -> {
          assertThat(dashboard.path("schemaVersion").asInt()).as(file).isGreaterThanOrEqualTo(36);
          assertThat(dashboard.path("editable").asBoolean()).as(file).isTrue();
          assertThat(dashboard.path("refresh").asText()).as(file).isEqualTo("30s");
          assertThat(dashboard.path("time").path("from").asText())
              .as(file)
              .isIn("now-1h", "now-6h");
          assertThat(dashboard.path("tags").toString())
              .as(file)
              .isEqualTo("[\"capability-exporter\"]");
          assertThat(dashboard.has("id")).as(file + ": an id is the Grafana instance's").isFalse();
        });
  }

  @Test
  void dashboards_link_to_each_other_by_their_tag() {
    dashboards.forEach(
        (file, dashboard) ->
            assertThat(dashboard.path("links"))
                .as(file)
                .anySatisfy(
                    link -> {
                      assertThat(link.path("type").asText()).isEqualTo("dashboards");
                      assertThat(link.path("tags").toString())
                          .isEqualTo("[\"capability-exporter\"]");
                      assertThat(link.path("keepTime").asBoolean()).isTrue();
                    }));
  }

  @Test
  void every_panel_and_query_variable_reads_the_data_source_variable() {
    dashboards.forEach(
        (file, dashboard) -> {
          List<JsonNode> variables = Dashboards.variables(dashboard);
          assertThat(variables)
              .as(file)
              .filteredOn(v -> v.path("type").asText().equals("datasource"))
              .singleElement()
              .satisfies(
                  v -> {
                    assertThat(v.path("name").asText()).isEqualTo("datasource");
                    assertThat(v.path("query").asText()).isEqualTo("prometheus");
                  });
          List<JsonNode> users = new ArrayList<>();
          variables.stream()
              .filter(v -> v.path("type").asText().equals("query"))
              .forEach(users::add);
          for (JsonNode panel : Dashboards.panels(dashboard)) {
            if (!panel.path("type").asText().matches("row|text")) {
              users.add(panel);
              panel.path("targets").forEach(users::add);
            }
          }
          assertThat(users)
              .as(file)
              .allSatisfy(
                  user ->
                      assertThat(user.path("datasource").toString())
                          .as(user.path("title").asText(user.path("name").asText()))
                          .isEqualTo(
                              "{\"type\":\"prometheus\",\"uid\":\""
                                  + Dashboards.DATASOURCE
                                  + "\"}"));
        });
  }

  @Test
  void query_variables_ask_prometheus_for_label_values_on_every_time_range_change() {
    dashboards.forEach(
        (file, dashboard) ->
            Dashboards.variables(dashboard).stream()
                .filter(v -> v.path("type").asText().equals("query"))
                .forEach(
                    v -> {
                      String name = file + ": " + v.path("name").asText();
                      assertThat(v.path("refresh").asInt()).as(name).isEqualTo(2);
                      assertThat(v.path("query").path("query").asText())
                          .as(name)
                          .startsWith("label_values(")
                          .isEqualTo(v.path("definition").asText());
                      if (v.path("includeAll").asBoolean()) {
                        assertThat(v.path("allValue").asText()).as(name).isEqualTo(".*");
                      }
                    }));
  }

  @Test
  void the_workload_view_chains_pod_to_namespace_and_container_to_both() {
    Map<String, String> queries = new HashMap<>();
    Dashboards.variables(dashboards.get("capability-workload.json"))
        .forEach(v -> queries.put(v.path("name").asText(), v.path("definition").asText()));
    assertThat(queries).containsKeys("datasource", "namespace", "pod", "container");
    assertThat(queries.get("namespace"))
        .isEqualTo("label_values(capability_checks_total{" + JOB + "}, namespace)");
    assertThat(queries.get("pod"))
        .isEqualTo(
            "label_values(capability_checks_total{" + JOB + ",namespace=~\"$namespace\"}, pod)");
    assertThat(queries.get("container"))
        .contains("namespace=~\"$namespace\"", "pod=~\"$pod\"")
        .endsWith(", container)");
  }

  @Test
  void panels_have_unique_ids_a_place_on_the_grid_and_no_deprecated_type() {
    dashboards.forEach(
        (file, dashboard) -> {
          Set<Integer> ids = new HashSet<>();
          List<int[]> boxes = new ArrayList<>();
          for (JsonNode panel : Dashboards.panels(dashboard)) {
            String name = file + ": " + panel.path("title").asText();
            assertThat(panel.path("type").asText())
                .as(name)
                .isIn(PANEL_TYPES)
                .isNotEqualTo("graph");
            assertThat(ids.add(panel.path("id").asInt(-1))).as(name + ": a unique id").isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] box = {
              grid.path("x").asInt(-1), grid.path("y").asInt(-1),
              grid.path("w").asInt(-1), grid.path("h").asInt(-1)
            };
            assertThat(box[0]).as(name).isBetween(0, 23);
            assertThat(box[1]).as(name).isNotNegative();
            assertThat(box[2]).as(name).isPositive();
            assertThat(box[3]).as(name).isPositive();
            assertThat(box[0] + box[2]).as(name + ": within 24 columns").isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
              boolean apart =
                  box[0] + box[2] <= other[0]
                      || other[0] + other[2] <= box[0]
                      || box[1] + box[3] <= other[1]
                      || other[1] + other[3] <= box[1];
              assertThat(apart).as(name + ": overlaps another panel").isTrue();
            }
            boxes.add(box);
          }
        });
  }

  @Test
  void every_panel_but_text_says_its_unit() {
    dashboards.forEach(
        (file, dashboard) ->
            Dashboards.panels(dashboard).stream()
                .filter(p -> !p.path("type").asText().matches("row|text"))
                .forEach(
                    panel ->
                        assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText())
                            .as(file + ": " + panel.path("title").asText())
                            .isIn("ops", "cps", "short", "bytes", "s", "percentunit")));
  }
}
