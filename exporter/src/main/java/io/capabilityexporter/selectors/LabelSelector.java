package io.capabilityexporter.selectors;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector: every requirement must hold. Written as in {@code kubectl -l}
 * (SelectorSyntax) or as a {@code LabelSelector} mapping ({@code matchLabels}, {@code
 * matchExpressions}); either way {@link #toString} gives the {@code kubectl -l} form:
 *
 * <pre>
 * k8s-app=cilium,tier in (agent),!canary
 * </pre>
 */
public record LabelSelector(List<Requirement> requirements) {
  /** The {@code kubectl -l} form, for messages that show how to write one. */
  public static final String EXAMPLE = "k8s-app=cilium,tier in (agent,operator),!canary";

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /**
   * The {@code kubectl -l} form.
   *
   * @throws IllegalArgumentException naming what is wrong, with an example
   */
  public static LabelSelector parse(String text) {
    return SelectorSyntax.parse(text);
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return String.join(",", requirements.stream().map(Requirement::toString).toList());
  }

  /** As Kubernetes: the negative operators also hold for a pod without the label. */
  public enum Operator {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
      };
    }

    @Override
    public String toString() {
      return switch (operator) {
        case IN -> values.size() == 1 ? key + "=" + values.iterator().next() : set(" in ");
        case NOT_IN -> values.size() == 1 ? key + "!=" + values.iterator().next() : set(" notin ");
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
      };
    }

    private String set(String operator) {
      return key + operator + "(" + String.join(",", values.stream().sorted().toList()) + ")";
    }
  }

  // k8s.io/apimachinery/pkg/util/validation: IsQualifiedName and IsValidLabelValue.
  private static final String NAME_FORMAT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern NAME = Pattern.compile(NAME_FORMAT);
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("(" + NAME_FORMAT + ")?");

  /** Why {@code key} is not a label key, or null when it is one. */
  public static String keyProblem(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return "\"" + key + "\" is not a label key: its prefix must be a DNS subdomain";
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return "\""
          + key
          + "\" is not a label key: at most 63 letters, digits, '-', '_' and '.', starting and"
          + " ending with a letter or digit (with an optional prefix/)";
    }
    return null;
  }

  /** Why {@code value} is not a label value, or null when it is one. */
  public static String valueProblem(String value) {
    if (value.length() > 63 || !VALUE.matcher(value).matches()) {
      return "\""
          + value
          + "\" is not a label value: at most 63 letters, digits, '-', '_' and '.', starting and"
          + " ending with a letter or digit";
    }
    return null;
  }
}
