package io.capabilityexporter.expected;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.selectors.LabelSelector;
import io.capabilityexporter.yaml.Suggestion;
import io.capabilityexporter.yaml.YamlReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the policy file from composed YAML nodes rather than objects, so every error can name its
 * line. The format:
 *
 * <pre>
 * rules:
 *   - name: cilium-agent                      # optional, for people
 *     namespaces: [kube-system]               # glob patterns (* and ?); omitted: any
 *     pods: ["cilium-*"]
 *     containers: [cilium-agent]
 *     selector: "k8s-app=cilium"              # or {matchLabels: ..., matchExpressions: ...}
 *     capabilities: [NET_ADMIN, SYS_ADMIN]    # required; CAP_ optional; ALL or "*": any
 *     verdicts: [allow, deny]                 # omitted: both
 * </pre>
 */
final class PolicyFile {
  private static final List<String> TOP_KEYS = List.of("rules");
  private static final List<String> RULE_KEYS =
      List.of("name", "namespaces", "pods", "containers", "selector", "capabilities", "verdicts");
  private static final List<String> VERDICTS = List.of("allow", "deny");
  private static final List<String> CAPABILITY_NAMES =
      IntStream.rangeClosed(0, Capability.last()).mapToObj(Capability::name).toList();

  private final YamlReader<PolicyException> yaml;

  private PolicyFile(String source) {
    this.yaml = new YamlReader<>(source, PolicyException::new);
  }

  /**
   * @param source the file's name as the user gave it, for the messages
   */
  static Policy parse(String source, String text) throws PolicyException {
    PolicyFile file = new PolicyFile(source);
    // [*] or containers: [*-agent]: YAML reads an unquoted * as an alias.
    return file.policy(
        file.yaml.compose(
            text, "* starts an alias: quote it (\"*\") for a pattern or any capability"));
  }

  private Policy policy(Node root) throws PolicyException {
    if (root == null) {
      throw yaml.error(
          1,
          "",
          "the file is empty: write \"rules:\" followed by a list of rules, or \"rules: []\" for"
              + " none");
    }
    Map<String, Node> top = yaml.mapping(root, "", TOP_KEYS, "a mapping with the key rules");
    Node rules = top.get("rules");
    if (rules == null) {
      throw yaml.error(root, "rules", "missing: write a list of rules, or \"rules: []\" for none");
    }
    if (!(rules instanceof SequenceNode sequence)) {
      throw yaml.error(
          rules,
          "rules",
          "must be a list of rules (\"rules: []\" for none), not " + YamlReader.kind(rules));
    }
    List<PolicyRule> read = new ArrayList<>();
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      read.add(rule(items.get(i), YamlReader.item("rules", i)));
    }
    return new Policy(read);
  }

  private PolicyRule rule(Node node, String path) throws PolicyException {
    Map<String, Node> fields =
        yaml.mapping(node, path, RULE_KEYS, "a mapping with keys such as pods and capabilities");
    String name =
        fields.containsKey("name")
            ? yaml.scalar(fields.get("name"), YamlReader.field(path, "name"), "a string")
            : "";
    Node capabilities = fields.get("capabilities");
    if (capabilities == null) {
      throw yaml.error(
          node,
          YamlReader.field(path, "capabilities"),
          "missing: list the capabilities the rule expects, e.g. [NET_ADMIN], or [ALL] for any");
    }
    List<String> verdicts =
        fields.containsKey("verdicts") ? verdicts(fields.get("verdicts"), path) : VERDICTS;
    Node selector = fields.get("selector");
    return new PolicyRule(
        name,
        globs(fields.get("namespaces"), path, "namespaces", "namespace", "[kube-system]"),
        globs(fields.get("pods"), path, "pods", "pod", "[\"cilium-*\"]"),
        globs(fields.get("containers"), path, "containers", "container", "[cilium-agent]"),
        selector == null
            ? Optional.empty()
            : Optional.of(selector(selector, YamlReader.field(path, "selector"))),
        capabilities(capabilities, YamlReader.field(path, "capabilities")),
        verdicts.contains("allow"),
        verdicts.contains("deny"));
  }

  private List<Glob> globs(Node node, String rule, String key, String what, String example)
      throws PolicyException {
    if (node == null) {
      return List.of();
    }
    String path = YamlReader.field(rule, key);
    List<Node> items =
        yaml.list(
            node,
            path,
            "a list of " + what + " patterns, e.g. " + example,
            "omit " + key + " to match any " + what);
    List<Glob> globs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      globs.add(
          new Glob(yaml.scalar(items.get(i), YamlReader.item(path, i), "a " + what + " pattern")));
    }
    return globs;
  }

  private long capabilities(Node node, String path) throws PolicyException {
    List<Node> items =
        yaml.list(
            node,
            path,
            "a list of capabilities, e.g. [NET_ADMIN, SYS_ADMIN], or [ALL]",
            "list capabilities such as NET_ADMIN, or ALL for any");
    long mask = 0;
    for (int i = 0; i < items.size(); i++) {
      mask |= capability(items.get(i), YamlReader.item(path, i));
    }
    return mask;
  }

  private long capability(Node node, String path) throws PolicyException {
    String text = yaml.scalar(node, path, "a capability such as NET_ADMIN");
    String name = text.strip().toUpperCase(Locale.ROOT);
    if (name.equals("ALL") || name.equals("*")) {
      return PolicyRule.ANY_CAPABILITY;
    }
    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
      int number = name.length() <= 2 ? Integer.parseInt(name) : Long.SIZE;
      if (number >= Long.SIZE) {
        throw yaml.error(
            node, path, "\"" + text + "\" is not a capability: numbers run from 0 to 63");
      }
      return 1L << number;
    }
    var number = Capability.number(name);
    if (number.isEmpty()) {
      String suggestion = Suggestion.didYouMean(name.replaceFirst("^CAP_", ""), CAPABILITY_NAMES);
      throw yaml.error(
          node,
          path,
          "\""
              + text
              + "\" is not a capability"
              + (suggestion.isEmpty()
                  ? ": write a name as capabilities(7) does, CAP_ optional (SYS_ADMIN), its"
                      + " number (21), or ALL"
                  : suggestion));
    }
    return 1L << number.getAsInt();
  }

  private List<String> verdicts(Node node, String rule) throws PolicyException {
    String path = YamlReader.field(rule, "verdicts");
    List<Node> items =
        yaml.list(node, path, "a list of verdicts, e.g. [deny]", "omit verdicts to match both");
    List<String> verdicts = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPath = YamlReader.item(path, i);
      String text = yaml.scalar(items.get(i), itemPath, "allow or deny");
      String verdict = text.toLowerCase(Locale.ROOT);
      if (!VERDICTS.contains(verdict)) {
        String suggestion = Suggestion.didYouMean(verdict, VERDICTS);
        throw yaml.error(
            items.get(i),
            itemPath,
            "\""
                + text
                + "\" is not a verdict"
                + (suggestion.isEmpty() ? ": write allow or deny" : suggestion));
      }
      verdicts.add(verdict);
    }
    return verdicts;
  }

  private LabelSelector selector(Node node, String path) throws PolicyException {
    if (node instanceof ScalarNode scalar && !Tag.NULL.equals(scalar.getTag())) {
      try {
        return LabelSelector.parse(scalar.getValue());
      } catch (IllegalArgumentException e) {
        throw yaml.error(node, path, e.getMessage());
      }
    }
    return SelectorMapping.read(yaml, node, path);
  }
}
