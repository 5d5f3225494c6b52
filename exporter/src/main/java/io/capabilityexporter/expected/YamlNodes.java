package io.capabilityexporter.expected;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of composed YAML nodes, each failing with the file, the line and the field: {@code
 * policy.yaml:4: rules[0].pods: must be a list of patterns, e.g. ["cilium-*"], not a string}.
 */
final class YamlNodes {
  private final String source;

  YamlNodes(String source) {
    this.source = source;
  }

  PolicyException error(Node node, String path, String problem) {
    return error(node.getStartMark().getLine() + 1, path, problem);
  }

  PolicyException error(int line, String path, String problem) {
    return new PolicyException(
        source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  /**
   * The values of a mapping by key, in the file's order; an unknown or repeated key is an error at
   * its line.
   *
   * @param keys the keys allowed; null: any
   * @param expected what the mapping should be, for the error when it is something else
   */
  Map<String, Node> mapping(Node node, String path, List<String> keys, String expected)
      throws PolicyException {
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || Tag.NULL.equals(scalar.getTag())) {
        throw error(keyNode, path, "keys must be names, not " + kind(keyNode));
      }
      String key = scalar.getValue();
      String field = field(path, key);
      if (keys != null && !keys.contains(key)) {
        String suggestion = Suggestion.didYouMean(key, keys);
        throw error(
            keyNode,
            field,
            "unknown key"
                + (suggestion.isEmpty()
                    ? ": the keys here are " + String.join(", ", keys)
                    : suggestion));
      }
      Integer first = lines.putIfAbsent(key, keyNode.getStartMark().getLine() + 1);
      if (first != null) {
        throw error(keyNode, field, "given twice (first on line " + first + ")");
      }
      values.put(key, tuple.getValueNode());
    }
    return values;
  }

  /**
   * The items of a non-empty list.
   *
   * @param expected what the list holds, for the error when it is something else
   * @param whenEmpty what to do instead of an empty list
   */
  List<Node> list(Node node, String path, String expected, String whenEmpty)
      throws PolicyException {
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    if (sequence.getValue().isEmpty()) {
      throw error(node, path, "the list is empty: " + whenEmpty);
    }
    return new ArrayList<>(sequence.getValue());
  }

  /** The text of a scalar: a string, number or boolean as written; empty (null) is an error. */
  String scalar(Node node, String path, String expected) throws PolicyException {
    if (!(node instanceof ScalarNode scalar) || Tag.NULL.equals(scalar.getTag())) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    return scalar.getValue();
  }

  static String field(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String item(String path, int index) {
    return path + "[" + index + "]";
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (Tag.NULL.equals(tag)) {
      return "empty";
    }
    if (Tag.BOOL.equals(tag)) {
      return "true or false";
    }
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "a number";
    }
    return "a string";
  }
}
