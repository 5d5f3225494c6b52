package io.capabilityexporter.webconfig;

import io.capabilityexporter.expected.Suggestion;
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
 * Typed reads of composed YAML nodes, each failing with the file, the line and the field, as Go's
 * strict YAML decoding exporter-toolkit uses refuses unknown and repeated keys.
 */
final class YamlFields {
  private final String source;

  YamlFields(String source) {
    this.source = source;
  }

  WebConfigException error(Node node, String path, String problem) {
    return error(node.getStartMark().getLine() + 1, path, problem);
  }

  WebConfigException error(int line, String path, String problem) {
    return new WebConfigException(
        source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  /** The values of a mapping by key, in the file's order; empty (null) is an empty mapping. */
  Map<String, Node> mapping(Node node, String path, List<String> keys) throws WebConfigException {
    Map<String, Node> values = new LinkedHashMap<>();
    if (isNull(node)) {
      return values;
    }
    if (!(node instanceof MappingNode mapping)) {
      throw error(node, path, "must be a mapping, not " + kind(node));
    }
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

  /** The strings of a list; empty (null) is an empty list. */
  List<String> strings(Node node, String path, String expected) throws WebConfigException {
    List<String> items = new ArrayList<>();
    if (isNull(node)) {
      return items;
    }
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, path, "must be a list of " + expected + ", not " + kind(node));
    }
    List<Node> nodes = sequence.getValue();
    for (int i = 0; i < nodes.size(); i++) {
      items.add(string(nodes.get(i), path + "[" + i + "]", expected));
    }
    return items;
  }

  /** A string, or a number or boolean as written; empty (null) is "", as Go reads it. */
  String string(Node node, String path, String expected) throws WebConfigException {
    if (isNull(node)) {
      return "";
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    return scalar.getValue();
  }

  boolean bool(Node node, String path) throws WebConfigException {
    if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
      return switch (scalar.getValue().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "on", "y" -> true;
        default -> false;
      };
    }
    throw error(node, path, "must be true or false, not " + kind(node));
  }

  static String field(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
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
