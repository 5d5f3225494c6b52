package io.capabilityexporter.selectors;

import io.capabilityexporter.selectors.LabelSelector.Operator;
import io.capabilityexporter.selectors.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a label selector as {@code kubectl -l} takes it (k8s.io/apimachinery labels.Parse):
 * requirements separated by commas, each {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key in (a,b)}, {@code key notin (a,b)}, {@code key} or {@code !key}.
 */
final class SelectorSyntax {

  private final String text;
  private final List<String> tokens;
  private int next;

  private SelectorSyntax(String text) {
    this.text = text;
    this.tokens = tokens(text);
  }

  /**
   * @throws IllegalArgumentException naming what is wrong: {@code "tier in agent" is not a label
   *     selector: expected "(" after "tier in", found "agent" (write e.g. ...)}
   */
  static LabelSelector parse(String text) {
    return new SelectorSyntax(text).selector();
  }

  private LabelSelector selector() {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "the selector is empty: omit it to match any pod, or write e.g. "
              + LabelSelector.EXAMPLE);
    }
    List<Requirement> requirements = new ArrayList<>();
    requirements.add(requirement());
    while (accept(",")) {
      requirements.add(requirement());
    }
    if (next < tokens.size()) {
      throw syntax("expected \",\" or the end", peek());
    }
    return new LabelSelector(requirements);
  }

  private Requirement requirement() {
    if (accept("!")) {
      return new Requirement(key("after \"!\""), Operator.DOES_NOT_EXIST, Set.of());
    }
    String key = key("");
    String operator = peek();
    if (operator == null || operator.equals(",")) {
      return new Requirement(key, Operator.EXISTS, Set.of());
    }
    next++;
    return switch (operator) {
      case "=", "==" -> new Requirement(key, Operator.IN, Set.of(value()));
      case "!=" -> new Requirement(key, Operator.NOT_IN, Set.of(value()));
      case "in" -> new Requirement(key, Operator.IN, values(key + " in"));
      case "notin" -> new Requirement(key, Operator.NOT_IN, values(key + " notin"));
      default ->
          throw syntax(
              "expected =, ==, !=, in, notin, \",\" or the end after \"" + key + "\"", operator);
    };
  }

  private String key(String where) {
    String key = peek();
    if (key == null || isPunctuation(key)) {
      throw syntax("expected a label key" + (where.isEmpty() ? "" : " " + where), key);
    }
    next++;
    String problem = LabelSelector.keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return key;
  }

  /** After {@code =}: a value, or nothing (the empty value) before a comma or the end. */
  private String value() {
    String value = peek();
    if (value == null || value.equals(",")) {
      return "";
    }
    if (isPunctuation(value)) {
      throw syntax("expected a label value", value);
    }
    next++;
    String problem = LabelSelector.valueProblem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
  }

  private Set<String> values(String after) {
    if (!accept("(")) {
      throw syntax("expected \"(\" after \"" + after + "\"", peek());
    }
    Set<String> values = new LinkedHashSet<>();
    do {
      String value = peek();
      if (value == null || isPunctuation(value)) {
        throw syntax("expected a label value in \"" + after + " (...)\"", value);
      }
      values.add(value());
    } while (accept(","));
    if (!accept(")")) {
      throw syntax("expected \",\" or \")\" in \"" + after + " (...)\"", peek());
    }
    return values;
  }

  private String peek() {
    return next < tokens.size() ? tokens.get(next) : null;
  }

  private boolean accept(String token) {
    if (token.equals(peek())) {
      next++;
      return true;
    }
    return false;
  }

  private IllegalArgumentException syntax(String expected, String found) {
    return new IllegalArgumentException(
        "\""
            + text
            + "\" is not a label selector: "
            + expected
            + ", found "
            + (found == null ? "the end" : "\"" + found + "\"")
            + " (write e.g. "
            + LabelSelector.EXAMPLE
            + ")");
  }

  private static boolean isPunctuation(String token) {
    return isBoundary(token.charAt(0));
  }

  /** Words, and the punctuation {@code ! = == != ( ) ,}; whitespace separates. */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '!' || c == '=') {
        boolean pair = i + 1 < text.length() && text.charAt(i + 1) == '=';
        tokens.add(text.substring(i, pair ? i + 2 : i + 1));
        i += pair ? 2 : 1;
      } else if (c == '(' || c == ')' || c == ',') {
        tokens.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        while (i < text.length() && !isBoundary(text.charAt(i))) {
          i++;
        }
        tokens.add(text.substring(start, i));
      }
    }
    return tokens;
  }

  private static boolean isBoundary(char c) {
    return Character.isWhitespace(c) || "!=(),".indexOf(c) >= 0;
  }
}
