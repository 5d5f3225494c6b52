package io.capabilityexporter.expected;

import io.capabilityexporter.selectors.LabelSelector;
import io.capabilityexporter.selectors.LabelSelector.Operator;
import io.capabilityexporter.selectors.LabelSelector.Requirement;
import io.capabilityexporter.yaml.Suggestion;
import io.capabilityexporter.yaml.YamlReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a selector written as a Kubernetes {@code LabelSelector}, as in a Deployment's {@code
 * spec.selector}:
 *
 * <pre>
 * selector:
 *   matchLabels: {k8s-app: cilium}
 *   matchExpressions:
 *     - {key: tier, operator: In, values: [agent, operator]}
 * </pre>
 */
final class SelectorMapping {
  private static final List<String> KEYS = List.of("matchLabels", "matchExpressions");
  private static final List<String> EXPRESSION_KEYS = List.of("key", "operator", "values");
  private static final Map<String, Operator> OPERATORS =
      Map.of(
          "In", Operator.IN,
          "NotIn", Operator.NOT_IN,
          "Exists", Operator.EXISTS,
          "DoesNotExist", Operator.DOES_NOT_EXIST);
  private static final List<String> OPERATOR_NAMES =
      List.of("In", "NotIn", "Exists", "DoesNotExist");

  private SelectorMapping() {}

  static LabelSelector read(YamlReader<PolicyException> yaml, Node node, String path)
      throws PolicyException {
    Map<String, Node> fields =
        yaml.mapping(
            node,
            path,
            KEYS,
            "a label selector such as \""
                + LabelSelector.EXAMPLE
                + "\" or a mapping with matchLabels or matchExpressions");
    if (fields.isEmpty()) {
      throw yaml.error(
          node, path, "the selector is empty: omit it to match any pod, or give matchLabels");
    }
    List<Requirement> requirements = new ArrayList<>();
    Node labels = fields.get("matchLabels");
    if (labels != null) {
      String labelsPath = YamlReader.field(path, "matchLabels");
      Map<String, Node> values =
          yaml.mapping(labels, labelsPath, null, "a mapping of labels, e.g. {k8s-app: cilium}");
      for (Map.Entry<String, Node> label : values.entrySet()) {
        String labelPath = YamlReader.field(labelsPath, label.getKey());
        check(yaml, label.getValue(), labelPath, LabelSelector.keyProblem(label.getKey()));
        String value = yaml.scalar(label.getValue(), labelPath, "a label value (\"\" for empty)");
        check(yaml, label.getValue(), labelPath, LabelSelector.valueProblem(value));
        requirements.add(new Requirement(label.getKey(), Operator.IN, Set.of(value)));
      }
    }
    Node expressions = fields.get("matchExpressions");
    if (expressions != null) {
      String expressionsPath = YamlReader.field(path, "matchExpressions");
      List<Node> items =
          yaml.list(
              expressions,
              expressionsPath,
              "a list of {key, operator, values}",
              "omit matchExpressions");
      for (int i = 0; i < items.size(); i++) {
        requirements.add(expression(yaml, items.get(i), YamlReader.item(expressionsPath, i)));
      }
    }
    return new LabelSelector(requirements);
  }

  private static Requirement expression(YamlReader<PolicyException> yaml, Node node, String path)
      throws PolicyException {
    Map<String, Node> fields =
        yaml.mapping(
            node,
            path,
            EXPRESSION_KEYS,
            "a mapping such as {key: tier, operator: In, values: [a]}");
    Node keyNode = required(yaml, fields, node, path, "key", "name the label, e.g. key: tier");
    String key = yaml.scalar(keyNode, YamlReader.field(path, "key"), "a label key");
    check(yaml, keyNode, YamlReader.field(path, "key"), LabelSelector.keyProblem(key));
    String operatorPath = YamlReader.field(path, "operator");
    Node operatorNode =
        required(yaml, fields, node, path, "operator", "write In, NotIn, Exists or DoesNotExist");
    String name = yaml.scalar(operatorNode, operatorPath, "In, NotIn, Exists or DoesNotExist");
    Operator operator = OPERATORS.get(name);
    if (operator == null) {
      String suggestion = Suggestion.didYouMean(name, OPERATOR_NAMES);
      throw yaml.error(
          operatorNode,
          operatorPath,
          "\""
              + name
              + "\" is not an operator"
              + (suggestion.isEmpty() ? ": write In, NotIn, Exists or DoesNotExist" : suggestion));
    }
    Node valuesNode = fields.get("values");
    String valuesPath = YamlReader.field(path, "values");
    boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
    if (!needsValues) {
      if (valuesNode != null
          && !(valuesNode instanceof SequenceNode sequence && sequence.getValue().isEmpty())) {
        throw yaml.error(valuesNode, valuesPath, name + " takes no values: omit values");
      }
      return new Requirement(key, operator, Set.of());
    }
    if (valuesNode == null) {
      throw yaml.error(node, valuesPath, "missing: " + name + " needs values, e.g. [agent]");
    }
    List<Node> items =
        yaml.list(
            valuesNode,
            valuesPath,
            "a list of label values, e.g. [agent]",
            name + " needs at least one value");
    Set<String> values = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = YamlReader.item(valuesPath, i);
      String value = yaml.scalar(items.get(i), itemPath, "a label value (\"\" for empty)");
      check(yaml, items.get(i), itemPath, LabelSelector.valueProblem(value));
      values.add(value);
    }
    return new Requirement(key, operator, values);
  }

  private static Node required(
      YamlReader<PolicyException> yaml,
      Map<String, Node> fields,
      Node node,
      String path,
      String key,
      String fix)
      throws PolicyException {
    Node value = fields.get(key);
    if (value == null) {
      throw yaml.error(node, YamlReader.field(path, key), "missing: " + fix);
    }
    return value;
  }

  private static void check(
      YamlReader<PolicyException> yaml, Node node, String path, String problem)
      throws PolicyException {
    if (problem != null) {
      throw yaml.error(node, path, problem);
    }
  }
}
