package io.capabilityexporter.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's grafana/*.json, parsed, and what is inside them. */
final class Dashboards {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("grafana");
  static final String DATASOURCE = "${datasource}";

  private Dashboards() {}

  /** Every dashboard by file name, in file name order. */
  static Map<String, JsonNode> all() {
    Map<String, JsonNode> dashboards = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.put(file.getFileName().toString(), new ObjectMapper().readTree(file.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dashboards;
  }

  /** Every panel, those inside rows included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** The template variables. */
  static List<JsonNode> variables(JsonNode dashboard) {
    List<JsonNode> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(variables::add);
    return variables;
  }

  /** A query the dashboard sends to Prometheus: a panel's target or a variable's query. */
  record Query(String where, String expr) {}

  /** Every panel target's expr, and every query variable's label_values(...) query. */
  static List<Query> queries(String file, JsonNode dashboard) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        String where =
            file + ": panel " + panel.path("title").asText() + ", " + target.path("refId");
        queries.add(new Query(where, target.path("expr").asText()));
      }
    }
    for (JsonNode variable : variables(dashboard)) {
      if (variable.path("type").asText().equals("query")) {
        String where = file + ": variable " + variable.path("name").asText();
        queries.add(new Query(where, variable.path("query").path("query").asText()));
      }
    }
    return queries;
  }
}
