package io.capabilityexporter.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's grafana/*.json, parsed, and what is inside them: their panels, variables and
 * queries as written, and the PromQL Grafana sends with "All" selected, for a Prometheus of the
 * tests' own to run.
 */
public final class Dashboards {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("grafana");
  static final String DATASOURCE = "${datasource}";

  private Dashboards() {}

  /** Every dashboard by file name, in file name order. */
  public static Map<String, JsonNode> all() {
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

  /** Every panel: those inside rows, and the rows of dashboards of schema 15 and before. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    collect(dashboard.path("panels"), panels);
    for (JsonNode row : dashboard.path("rows")) {
      collect(row.path("panels"), panels);
    }
    return panels;
  }

  private static void collect(JsonNode panels, List<JsonNode> into) {
    for (JsonNode panel : panels) {
      into.add(panel);
      collect(panel.path("panels"), into); // a collapsed row holds its panels
    }
  }

  /** The template variables. */
  static List<JsonNode> variables(JsonNode dashboard) {
    List<JsonNode> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(variables::add);
    return variables;
  }

  /** A query the dashboard sends to Prometheus: a panel's target or a variable's query. */
  record Query(String where, String expr) {}

  /** Every panel target's expr, and every query variable's label_values(...) query, as written. */
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

  /** One Prometheus target of one panel, as Grafana sends it. */
  public record PanelQuery(String dashboard, String uid, int panelId, String panel, String expr) {
    @Override
    public String toString() {
      return dashboard + " panel " + panelId + " \"" + panel + "\": " + expr;
    }
  }

  /** A variable's query: {@code label_values(SELECTOR, L)}, {@code label_values(L)}, or PromQL. */
  public record VariableQuery(String dashboard, String variable, Kind kind, String argument) {
    public enum Kind {
      SERIES,
      LABEL,
      QUERY
    }

    @Override
    public String toString() {
      return dashboard + " variable " + variable + ": " + kind + " " + argument;
    }
  }

  private static final Pattern LABEL_VALUES =
      Pattern.compile("(?s)\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*");
  private static final Pattern LABEL_VALUES_OF_LABEL =
      Pattern.compile("\\s*label_values\\(\\s*(\\w+)\\s*\\)\\s*");
  private static final Pattern QUERY_RESULT = Pattern.compile("(?s)\\s*query_result\\((.*)\\)\\s*");

  /** Every Prometheus target of every panel, its variables replaced as Grafana replaces them. */
  public static List<PanelQuery> panelQueries(JsonNode dashboard) {
    GrafanaVariables values = new GrafanaVariables(dashboard);
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        JsonNode source =
            target.has("datasource") ? target.get("datasource") : panel.get("datasource");
        String expr = target.path("expr").asText("");
        if (!expr.isBlank() && isPrometheus(source)) {
          queries.add(
              new PanelQuery(
                  title(dashboard),
                  dashboard.path("uid").asText(),
                  panel.path("id").asInt(),
                  panel.path("title").asText(),
                  values.substitute(expr)));
        }
      }
    }
    return queries;
  }

  /** The queries of the dashboard's query variables, their variables replaced. */
  public static List<VariableQuery> variableQueries(JsonNode dashboard) {
    GrafanaVariables values = new GrafanaVariables(dashboard);
    List<VariableQuery> queries = new ArrayList<>();
    for (JsonNode variable : variables(dashboard)) {
      if (!variable.path("type").asText().equals("query")
          || !isPrometheus(variable.get("datasource"))) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text =
          values.substitute(query.isObject() ? query.path("query").asText("") : query.asText(""));
      String name = variable.path("name").asText();
      Matcher matcher;
      if ((matcher = LABEL_VALUES.matcher(text)).matches()) {
        queries.add(
            new VariableQuery(
                title(dashboard), name, VariableQuery.Kind.SERIES, matcher.group(1).strip()));
      } else if ((matcher = LABEL_VALUES_OF_LABEL.matcher(text)).matches()) {
        queries.add(
            new VariableQuery(title(dashboard), name, VariableQuery.Kind.LABEL, matcher.group(1)));
      } else if ((matcher = QUERY_RESULT.matcher(text)).matches()) {
        queries.add(
            new VariableQuery(
                title(dashboard), name, VariableQuery.Kind.QUERY, matcher.group(1).strip()));
      }
    }
    return queries;
  }

  private static String title(JsonNode dashboard) {
    return dashboard.path("title").asText(dashboard.path("uid").asText("(untitled)"));
  }

  /** Prometheus, a variable naming one, or unsaid (the dashboard's default). */
  private static boolean isPrometheus(JsonNode source) {
    if (source == null || source.isNull()) {
      return true;
    }
    if (source.isTextual()) {
      return !source.asText().startsWith("-- ");
    }
    return !source.has("type") || source.get("type").asText().equals("prometheus");
  }

  /**
   * A dashboard's template variables as Grafana replaces them with "All" selected: query variables
   * by {@code .*} (their All value), custom, constant, textbox and interval variables by their
   * current value, and Grafana's own ({@code $__rate_interval}, {@code $__range}...) by a plausible
   * value, so that each query can run on a Prometheus of its own.
   */
  private static final class GrafanaVariables {
    private static final Map<String, String> BUILT_INS =
        Map.of(
            "__rate_interval", "1m",
            "__interval", "15s",
            "__interval_ms", "15000",
            "__range", "1h",
            "__range_s", "3600",
            "__range_ms", "3600000");
    // ${name}, ${name:format}, [[name]], [[name:format]], $name
    private static final Pattern VARIABLE =
        Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^]]*)?]]|\\$(\\w+)");

    private final Map<String, String> values = new HashMap<>();

    GrafanaVariables(JsonNode dashboard) {
      for (JsonNode variable : variables(dashboard)) {
        values.put(variable.path("name").asText(), valueOf(variable));
      }
    }

    /** What Grafana sends for a variable with All, or its current value, selected. */
    private static String valueOf(JsonNode variable) {
      String type = variable.path("type").asText();
      if (!List.of("custom", "constant", "textbox", "interval").contains(type)) {
        return ".*";
      }
      JsonNode current = variable.path("current").path("value");
      String value = current.isArray() ? current.path(0).asText("") : current.asText("");
      if (value.isEmpty() || value.startsWith("$") || value.equals("auto")) {
        value = variable.path("options").path(0).path("value").asText("");
      }
      if (value.isEmpty() || value.startsWith("$") || value.equals("auto")) {
        value = type.equals("interval") ? "1m" : ".*";
      }
      return value;
    }

    /** The expression with every variable replaced; one Grafana does not know stays as it is. */
    String substitute(String expr) {
      Matcher matcher = VARIABLE.matcher(expr);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String name =
            matcher.group(1) != null
                ? matcher.group(1)
                : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
        String value = BUILT_INS.get(name);
        if (value == null && name.startsWith("__auto_interval")) {
          value = "1m";
        }
        if (value == null) {
          value = values.get(name);
        }
        matcher.appendReplacement(
            out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
      }
      matcher.appendTail(out);
      return out.toString();
    }
  }
}
