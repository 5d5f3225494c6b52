package io.capabilityexporter.grafana;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL to read what a dashboard query names: metrics, labels, range selectors.
 * Grafana's {@code label_values(metric{...}, label)} is read as its selector and its label.
 */
final class PromQl {
  private static final Pattern LABEL_VALUES =
      Pattern.compile("(?s)label_values\\((.*),\\s*(\\w+)\\s*\\)");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
  private static final Pattern RATE = Pattern.compile("\\b(rate|irate|increase)\\(");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "offset",
          "bool",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile");

  /** The substitutions the end-to-end test makes before it runs a query. */
  static final Map<String, String> E2E_SUBSTITUTIONS =
      Map.of(
          "$namespace", ".*",
          "$pod", ".*",
          "$container", ".*",
          "$instance", ".*",
          "$__rate_interval", "1m",
          "$__range", "1h",
          "$__interval", "15s");

  private PromQl() {}

  /** The PromQL inside a query: a label_values(...) query's selector, else the query itself. */
  static String selectorPart(String query) {
    Matcher m = LABEL_VALUES.matcher(query.strip());
    return m.matches() ? m.group(1) : query;
  }

  static Set<String> metricNames(String query) {
    String expr = STRING.matcher(selectorPart(query)).replaceAll("\"\"");
    expr = MATCHERS.matcher(expr).replaceAll("");
    expr = RANGE.matcher(expr).replaceAll("");
    expr = GROUPING.matcher(expr).replaceAll("$1");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(expr);
    while (m.find()) {
      if (!KEYWORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** Labels in matchers, groupings and, for label_values, the label asked for. */
  static Set<String> labelNames(String query) {
    Set<String> labels = new LinkedHashSet<>();
    Matcher values = LABEL_VALUES.matcher(query.strip());
    if (values.matches()) {
      labels.add(values.group(2));
    }
    String expr = STRING.matcher(selectorPart(query)).replaceAll("\"\"");
    Matcher matchers = MATCHERS.matcher(expr);
    while (matchers.find()) {
      Matcher m = MATCHER.matcher(matchers.group(1));
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    Matcher groupings = GROUPING.matcher(expr);
    while (groupings.find()) {
      for (String label : groupings.group(2).split(",")) {
        if (!label.isBlank()) {
          labels.add(label.strip());
        }
      }
    }
    return labels;
  }

  /** What every {@code [...]} holds. */
  static List<String> ranges(String query) {
    List<String> ranges = new ArrayList<>();
    Matcher m = RANGE.matcher(STRING.matcher(query).replaceAll("\"\""));
    while (m.find()) {
      ranges.add(m.group(1));
    }
    return ranges;
  }

  /** The argument of every rate(), irate() and increase(), up to its closing parenthesis. */
  static List<String> rateArguments(String query) {
    List<String> arguments = new ArrayList<>();
    Matcher m = RATE.matcher(query);
    while (m.find()) {
      int depth = 1;
      int i = m.end();
      while (i < query.length() && depth > 0) {
        char c = query.charAt(i++);
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      }
      arguments.add(m.group() + query.substring(m.end(), i));
    }
    return arguments;
  }

  /** The query as the end-to-end test sends it. */
  static String substituted(String query) {
    String expr = query;
    // Longest first: $__range must not eat the start of $__rate_interval, nor $pod of $pods.
    List<String> names = new ArrayList<>(E2E_SUBSTITUTIONS.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String name : names) {
      expr = expr.replace(name, E2E_SUBSTITUTIONS.get(name));
    }
    return expr;
  }

  /** Whether (), {}, [] nest properly outside strings, and every string is closed. */
  static boolean balanced(String query) {
    String expr = STRING.matcher(query).replaceAll("\"\"");
    if (expr.chars().filter(c -> c == '"').count() % 2 != 0) {
      return false;
    }
    StringBuilder open = new StringBuilder();
    for (char c : expr.toCharArray()) {
      switch (c) {
        case '(', '{', '[' -> open.append(c);
        case ')', '}', ']' -> {
          if (open.isEmpty() || "({[".indexOf(open.charAt(open.length() - 1)) != ")}]".indexOf(c)) {
            return false;
          }
          open.setLength(open.length() - 1);
        }
        default -> {}
      }
    }
    return open.isEmpty();
  }
}
