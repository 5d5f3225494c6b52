package io.capabilityexporter.yaml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A file a user wrote in YAML, read as composed nodes (which keep their lines) with typed reads
 * that each fail with the file, the line and the field, refusing unknown and repeated keys as Go's
 * strict decoding does: {@code policy.yaml:4: rules[0].pods: must be a list of patterns, e.g.
 * ["cilium-*"], not a string}. The policy file and the web config read their files with it.
 *
 * @param <E> the reader's own exception, made from the message
 */
public final class YamlReader<E extends Exception> {
  private final String source;
  private final Function<String, E> failure;

  /**
   * @param source the file's name as the user gave it, for the messages
   */
  public YamlReader(String source, Function<String, E> failure) {
    this.source = source;
    this.failure = failure;
  }

  /** The document's nodes; text that is not YAML is an error at its line. */
  public Node compose(String text) throws E {
    return compose(text, null);
  }

  /**
   * @param aliasProblem what to say, if not null, when YAML read an unquoted * as an alias
   */
  public Node compose(String text, String aliasProblem) throws E {
    try {
      return new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      if (aliasProblem != null
          && ((e.getContext() != null && e.getContext().contains("alias"))
              || (problem != null && problem.startsWith("found undefined alias")))) {
        problem = aliasProblem;
      }
      throw failure.apply(
          source + ":" + (mark == null ? 1 : mark.getLine() + 1) + ": not valid YAML: " + problem);
    } catch (YAMLException e) {
      throw failure.apply(source + ": not valid YAML: " + e.getMessage());
    }
  }

  public E error(Node node, String path, String problem) {
    return error(node.getStartMark().getLine() + 1, path, problem);
  }

  public E error(int line, String path, String problem) {
    return failure.apply(
        source + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  /**
   * The values of a mapping by key, in the file's order; an unknown or repeated key is an error at
   * its line.
   *
   * @param keys the keys allowed; null: any
   * @param expected what the mapping should be, for the error when it is something else
   */
  public Map<String, Node> mapping(Node node, String path, List<String> keys, String expected)
      throws E {
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

  /** As {@link #mapping}, with absent or empty (null) read as an empty mapping. */
  public Map<String, Node> optionalMapping(Node node, String path, List<String> keys) throws E {
    return isNull(node) ? new LinkedHashMap<>() : mapping(node, path, keys, "a mapping");
  }

  /**
   * The items of a non-empty list.
   *
   * @param expected what the list holds, for the error when it is something else
   * @param whenEmpty what to do instead of an empty list
   */
  public List<Node> list(Node node, String path, String expected, String whenEmpty) throws E {
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    if (sequence.getValue().isEmpty()) {
      throw error(node, path, "the list is empty: " + whenEmpty);
    }
    return new ArrayList<>(sequence.getValue());
  }

  /** The text of a scalar: a string, number or boolean as written; empty (null) is an error. */
  public String scalar(Node node, String path, String expected) throws E {
    if (!(node instanceof ScalarNode scalar) || Tag.NULL.equals(scalar.getTag())) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    return scalar.getValue();
  }

  /** The strings of a list; absent or empty (null) is an empty list. */
  public List<String> strings(Node node, String path, String expected) throws E {
    List<String> items = new ArrayList<>();
    if (isNull(node)) {
      return items;
    }
    if (!(node instanceof SequenceNode sequence)) {
      throw error(node, path, "must be a list of " + expected + ", not " + kind(node));
    }
    List<Node> nodes = sequence.getValue();
    for (int i = 0; i < nodes.size(); i++) {
      items.add(string(nodes.get(i), item(path, i), expected));
    }
    return items;
  }

  /** A string, or a number or boolean as written; absent or empty (null) is "", as Go reads it. */
  public String string(Node node, String path, String expected) throws E {
    if (isNull(node)) {
      return "";
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw error(node, path, "must be " + expected + ", not " + kind(node));
    }
    return scalar.getValue();
  }

  public boolean bool(Node node, String path) throws E {
    if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
      return switch (scalar.getValue().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "y" -> true;
        default -> false;
      };
    }
    throw error(node, path, "must be true or false, not " + kind(node));
  }

  /** Absent, or written empty ({@code key:} or {@code key: null}). */
  public static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
  }

  /** {@code rules[0].pods}: the path of a mapping's key. */
  public static String field(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** {@code rules[0]}: the path of a list's item. */
  public static String item(String path, int index) {
    return path + "[" + index + "]";
  }

  /** What a node is, for an error saying what it should be instead. */
  public static String kind(Node node) {
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
