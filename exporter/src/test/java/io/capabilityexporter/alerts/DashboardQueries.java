package io.capabilityexporter.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of a Grafana dashboard, with its template variables replaced as Grafana would replace
 * them with "All" selected: query variables by {@code .*} (their All value), custom, constant,
 * textbox and interval variables by their current value, and Grafana's own ({@code
 * $__rate_interval}, {@code $__range}...) by a plausible value, so that each query can run on a
 * Prometheus of its own.
 */
final class DashboardQueries {
  /** One target of one panel. */
  record PanelQuery(String dashboard, String uid, int panelId, String panel, String expr) {
    @Override
    public String toString() {
      return dashboard + " panel " + panelId + " \"" + panel + "\": " + expr;
    }
  }

  /** A variable's query: {@code label_values(SELECTOR, L)}, {@code label_values(L)}, or PromQL. */
  record VariableQuery(String dashboard, String variable, Kind kind, String argument) {
    enum Kind {
      SERIES,
      LABEL,
      QUERY
    }

    @Override
    public String toString() {
      return dashboard + " variable " + variable + ": " + kind + " " + argument;
    }
  }

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
  private static final Pattern LABEL_VALUES =
      Pattern.compile("(?s)\\s*label_values\\((.*),\\s*(\\w+)\\s*\\)\\s*");
  private static final Pattern LABEL_VALUES_OF_LABEL =
      Pattern.compile("\\s*label_values\\(\\s*(\\w+)\\s*\\)\\s*");
  private static final Pattern QUERY_RESULT = Pattern.compile("(?s)\\s*query_result\\((.*)\\)\\s*");

  private final JsonNode dashboard;
  private final String title;
  private final Map<String, String> values = new HashMap<>();

  DashboardQueries(JsonNode dashboard) {
    this.dashboard = dashboard;
    this.title = dashboard.path("title").asText(dashboard.path("uid").asText("(untitled)"));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
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

  /** Every Prometheus target of every panel, rows' panels included. */
  List<PanelQuery> panels() {
    List<PanelQuery> queries = new ArrayList<>();
    collect(dashboard.path("panels"), queries);
    for (JsonNode row : dashboard.path("rows")) { // dashboards of schema 15 and before
      collect(row.path("panels"), queries);
    }
    return queries;
  }

  private void collect(JsonNode panels, List<PanelQuery> queries) {
    for (JsonNode panel : panels) {
      collect(panel.path("panels"), queries); // a collapsed row holds its panels
      for (JsonNode target : panel.path("targets")) {
        JsonNode source =
            target.has("datasource") ? target.get("datasource") : panel.get("datasource");
        String expr = target.path("expr").asText("");
        if (!expr.isBlank() && isPrometheus(source)) {
          queries.add(
              new PanelQuery(
                  title,
                  dashboard.path("uid").asText(),
                  panel.path("id").asInt(),
                  panel.path("title").asText(),
                  substitute(expr)));
        }
      }
    }
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

  /** The queries of the dashboard's query variables. */
  List<VariableQuery> variables() {
    List<VariableQuery> queries = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!variable.path("type").asText().equals("query")
          || !isPrometheus(variable.get("datasource"))) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text =
          substitute(query.isObject() ? query.path("query").asText("") : query.asText(""));
      String name = variable.path("name").asText();
      Matcher matcher;
      if ((matcher = LABEL_VALUES.matcher(text)).matches()) {
        queries.add(
            new VariableQuery(title, name, VariableQuery.Kind.SERIES, matcher.group(1).strip()));
      } else if ((matcher = LABEL_VALUES_OF_LABEL.matcher(text)).matches()) {
        queries.add(new VariableQuery(title, name, VariableQuery.Kind.LABEL, matcher.group(1)));
      } else if ((matcher = QUERY_RESULT.matcher(text)).matches()) {
        queries.add(
            new VariableQuery(title, name, VariableQuery.Kind.QUERY, matcher.group(1).strip()));
      }
    }
    return queries;
  }
}
