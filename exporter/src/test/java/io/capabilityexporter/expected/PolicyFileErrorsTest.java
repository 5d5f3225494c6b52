package io.capabilityexporter.expected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad policy file names the file, the line, the field and the fix. */
class PolicyFileErrorsTest {

  @Test
  void an_empty_file() {
    assertRefused("")
        .isEqualTo(
            "policy.yaml:1: the file is empty: write \"rules:\" followed by a list of rules, or"
                + " \"rules: []\" for none");
    assertRefused("# only a comment\n")
        .isEqualTo(
            "policy.yaml:1: the file is empty: write \"rules:\" followed by a list of rules, or"
                + " \"rules: []\" for none");
  }

  @Test
  void text_that_is_not_yaml() {
    assertRefused(
            """
            rules:
              - capabilities: [CHOWN]
               pods: [a]
            """)
        .isEqualTo(
            "policy.yaml:3: not valid YAML: expected <block end>, but found '<block mapping start>'");
  }

  @Test
  void an_unquoted_star() {
    assertRefused("rules: [{capabilities: [*]}]")
        .isEqualTo(
            "policy.yaml:1: not valid YAML: * starts an alias: quote it (\"*\") for a pattern or"
                + " any capability");
    assertRefused("rules:\n  - containers: [*-agent]\n    capabilities: [ALL]")
        .isEqualTo(
            "policy.yaml:2: not valid YAML: * starts an alias: quote it (\"*\") for a pattern or"
                + " any capability");
  }

  @Test
  void a_top_level_that_is_not_a_mapping() {
    assertRefused("- capabilities: [CHOWN]")
        .isEqualTo("policy.yaml:1: must be a mapping with the key rules, not a list");
  }

  @Test
  void an_unknown_top_level_key() {
    assertRefused("rules: []\nrule: []")
        .isEqualTo("policy.yaml:2: rule: unknown key (did you mean rules?)");
    assertRefused("version: 1\nrules: []")
        .isEqualTo("policy.yaml:1: version: unknown key: the keys here are rules");
  }

  @Test
  void no_rules() {
    assertRefused("# nothing\n{}")
        .isEqualTo(
            "policy.yaml:2: rules: missing: write a list of rules, or \"rules: []\" for none");
    assertRefused("rules:")
        .isEqualTo(
            "policy.yaml:1: rules: must be a list of rules (\"rules: []\" for none), not empty");
  }

  @Test
  void rules_given_twice() {
    assertRefused("rules: []\nrules: []")
        .isEqualTo("policy.yaml:2: rules: given twice (first on line 1)");
  }

  @Test
  void a_rule_that_is_not_a_mapping() {
    assertRefused("rules:\n  - cilium")
        .isEqualTo(
            "policy.yaml:2: rules[0]: must be a mapping with keys such as pods and capabilities,"
                + " not a string");
  }

  @Test
  void an_unknown_rule_key() {
    assertRefused(
            """
            rules:
              - name: a
                capabilities: [CHOWN]
              - namespace: [kube-system]
                capabilities: [CHOWN]
            """)
        .isEqualTo("policy.yaml:4: rules[1].namespace: unknown key (did you mean namespaces?)");
    assertRefused("rules:\n  - {labels: x, capabilities: [CHOWN]}")
        .isEqualTo(
            "policy.yaml:2: rules[0].labels: unknown key: the keys here are name, namespaces, pods,"
                + " containers, selector, capabilities, verdicts");
  }

  @Test
  void a_rule_key_given_twice() {
    assertRefused(
            """
            rules:
              - pods: [a]
                capabilities: [CHOWN]
                pods: [b]
            """)
        .isEqualTo("policy.yaml:4: rules[0].pods: given twice (first on line 2)");
  }

  @Test
  void a_rule_without_capabilities() {
    assertRefused(
            """
            rules:
              - name: cilium
                namespaces: [kube-system]
            """)
        .isEqualTo(
            "policy.yaml:2: rules[0].capabilities: missing: list the capabilities the rule expects,"
                + " e.g. [NET_ADMIN], or [ALL] for any");
  }

  @Test
  void patterns_that_are_not_a_list_of_strings() {
    assertRefused("rules:\n  - pods: \"cilium-*\"\n    capabilities: [CHOWN]")
        .isEqualTo(
            "policy.yaml:2: rules[0].pods: must be a list of pod patterns, e.g. [\"cilium-*\"], not"
                + " a string");
    assertRefused("rules:\n  - containers: [a, [b]]\n    capabilities: [CHOWN]")
        .isEqualTo(
            "policy.yaml:2: rules[0].containers[1]: must be a container pattern, not a list");
    assertRefused("rules:\n  - namespaces: []\n    capabilities: [CHOWN]")
        .isEqualTo(
            "policy.yaml:2: rules[0].namespaces: the list is empty: omit namespaces to match any"
                + " namespace");
    assertRefused("rules:\n  - name: [a]\n    capabilities: [CHOWN]")
        .isEqualTo("policy.yaml:2: rules[0].name: must be a string, not a list");
  }

  @Test
  void an_unknown_capability() {
    assertRefused(
            """
            rules:
              - capabilities: [NET_ADMIN]
              - namespaces: [kube-system]
                capabilities:
                  - NET_ADMIN
                  - CAP_SYS_ADMN
            """)
        .isEqualTo(
            "policy.yaml:6: rules[1].capabilities[1]: \"CAP_SYS_ADMN\" is not a capability (did"
                + " you mean SYS_ADMIN?)");
    assertRefused("rules: [{capabilities: [ROOT]}]")
        .isEqualTo(
            "policy.yaml:1: rules[0].capabilities[0]: \"ROOT\" is not a capability: write a name as"
                + " capabilities(7) does, CAP_ optional (SYS_ADMIN), its number (21), or ALL");
    assertRefused("rules: [{capabilities: [64]}]")
        .isEqualTo(
            "policy.yaml:1: rules[0].capabilities[0]: \"64\" is not a capability: numbers run from 0"
                + " to 63");
    assertRefused("rules: [{capabilities: [-1]}]")
        .isEqualTo(
            "policy.yaml:1: rules[0].capabilities[0]: \"-1\" is not a capability: write a name as"
                + " capabilities(7) does, CAP_ optional (SYS_ADMIN), its number (21), or ALL");
  }

  @Test
  void capabilities_that_are_not_a_list() {
    assertRefused("rules: [{capabilities: SYS_ADMIN}]")
        .isEqualTo(
            "policy.yaml:1: rules[0].capabilities: must be a list of capabilities, e.g. [NET_ADMIN,"
                + " SYS_ADMIN], or [ALL], not a string");
    assertRefused("rules: [{capabilities: []}]")
        .isEqualTo(
            "policy.yaml:1: rules[0].capabilities: the list is empty: list capabilities such as"
                + " NET_ADMIN, or ALL for any");
  }

  @Test
  void a_bad_verdict() {
    assertRefused("rules:\n  - capabilities: [CHOWN]\n    verdicts: [allow, denied]")
        .isEqualTo(
            "policy.yaml:3: rules[0].verdicts[1]: \"denied\" is not a verdict: write allow or deny");
    assertRefused("rules:\n  - capabilities: [CHOWN]\n    verdicts: [alow]")
        .isEqualTo(
            "policy.yaml:3: rules[0].verdicts[0]: \"alow\" is not a verdict (did you mean allow?)");
    assertRefused("rules:\n  - capabilities: [CHOWN]\n    verdicts: deny")
        .isEqualTo(
            "policy.yaml:3: rules[0].verdicts: must be a list of verdicts, e.g. [deny], not a string");
  }

  @Test
  void a_bad_selector_string() {
    assertRefused(
            """
            rules:
              - capabilities: [BPF]
                selector: "k8s-app=cilium,tier in agent"
            """)
        .isEqualTo(
            "policy.yaml:3: rules[0].selector: \"k8s-app=cilium,tier in agent\" is not a label"
                + " selector: expected \"(\" after \"tier in\", found \"agent\" (write e.g."
                + " k8s-app=cilium,tier in (agent,operator),!canary)");
    assertRefused("rules:\n  - {capabilities: [BPF], selector: \"\"}")
        .isEqualTo(
            "policy.yaml:2: rules[0].selector: the selector is empty: omit it to match any pod, or"
                + " write e.g. k8s-app=cilium,tier in (agent,operator),!canary");
    assertRefused("rules:\n  - {capabilities: [BPF], selector: [app=a]}")
        .isEqualTo(
            "policy.yaml:2: rules[0].selector: must be a label selector such as"
                + " \"k8s-app=cilium,tier in (agent,operator),!canary\" or a mapping with"
                + " matchLabels or matchExpressions, not a list");
  }

  @Test
  void a_bad_selector_mapping() {
    assertRefused(
            """
            rules:
              - capabilities: [BPF]
                selector:
                  matchLabel: {app: a}
            """)
        .isEqualTo(
            "policy.yaml:4: rules[0].selector.matchLabel: unknown key (did you mean matchLabels?)");
    assertRefused(
            """
            rules:
              - capabilities: [BPF]
                selector: {}
            """)
        .isEqualTo(
            "policy.yaml:3: rules[0].selector: the selector is empty: omit it to match any pod, or"
                + " give matchLabels");
    assertRefused(
            """
            rules:
              - capabilities: [BPF]
                selector:
                  matchLabels: [app=a]
            """)
        .isEqualTo(
            "policy.yaml:4: rules[0].selector.matchLabels: must be a mapping of labels, e.g."
                + " {k8s-app: cilium}, not a list");
    assertRefused(
            """
            rules:
              - capabilities: [BPF]
                selector:
                  matchLabels:
                    "my app": a
            """)
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchLabels.my app: \"my app\" is not a label key: at"
                + " most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or"
                + " digit (with an optional prefix/)");
  }

  @Test
  void a_bad_match_expression() {
    String rule = "rules:\n  - capabilities: [BPF]\n    selector:\n      matchExpressions:\n";
    assertRefused(rule + "        - {key: tier, operator: in, values: [a]}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].operator: \"in\" is not an"
                + " operator (did you mean In?)");
    assertRefused(rule + "        - {key: tier, operator: Like, values: [a]}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].operator: \"Like\" is not an"
                + " operator: write In, NotIn, Exists or DoesNotExist");
    assertRefused(rule + "        - {key: tier, operator: In}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].values: missing: In needs"
                + " values, e.g. [agent]");
    assertRefused(rule + "        - {key: tier, operator: NotIn, values: []}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].values: the list is empty: NotIn"
                + " needs at least one value");
    assertRefused(rule + "        - {key: tier, operator: Exists, values: [a]}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].values: Exists takes no values:"
                + " omit values");
    assertRefused(rule + "        - {operator: Exists}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].key: missing: name the label,"
                + " e.g. key: tier");
    assertRefused(rule + "        - {key: tier}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].operator: missing: write In,"
                + " NotIn, Exists or DoesNotExist");
    assertRefused(rule + "        - {key: tier, operator: In, values: [a b]}")
        .isEqualTo(
            "policy.yaml:5: rules[0].selector.matchExpressions[0].values[0]: \"a b\" is not a"
                + " label value: at most 63 letters, digits, '-', '_' and '.', starting and ending"
                + " with a letter or digit");
  }

  @Test
  void a_file_that_cannot_be_read_names_the_file(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("policy.yaml");
    assertThatThrownBy(() -> Policy.load(missing)).hasMessage(missing + ": no such file");

    Path binary = dir.resolve("binary.yaml");
    Files.write(binary, new byte[] {'r', 'u', (byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> Policy.load(binary)).hasMessage(binary + ": not UTF-8 text");
  }

  @Test
  void a_loaded_file_is_named_as_given(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, "rules:\n  - capabilities: [SYS_ADMN]\n");

    assertThatThrownBy(() -> Policy.load(file))
        .isInstanceOf(PolicyException.class)
        .hasMessage(
            file
                + ":2: rules[0].capabilities[0]: \"SYS_ADMN\" is not a capability (did you mean"
                + " SYS_ADMIN?)");
  }

  @Test
  void an_empty_list_of_rules_is_a_valid_policy() throws Exception {
    assertThat(Policy.parse("policy.yaml", "rules: []  # nothing is expected yet").size()).isZero();
  }

  private static AbstractStringAssert<?> assertRefused(String yaml) {
    PolicyException refused =
        assertThrows(PolicyException.class, () -> Policy.parse("policy.yaml", yaml));
    return assertThat(refused.getMessage());
  }
}
