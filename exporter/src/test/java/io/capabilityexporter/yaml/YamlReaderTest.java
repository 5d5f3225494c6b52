package io.capabilityexporter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

class YamlReaderTest {
  private static final List<String> KEYS = List.of("rules", "names");
  private final YamlReader<IllegalArgumentException> yaml =
      new YamlReader<>("f.yaml", IllegalArgumentException::new);

  private Node node(String text) {
    return yaml.compose(text);
  }

  @Test
  void an_unknown_key_is_an_error_at_its_line_with_the_closest_known_one() {
    assertThatThrownBy(() -> yaml.mapping(node("rules: []\nrule: []\n"), "", KEYS, "a mapping"))
        .hasMessage("f.yaml:2: rule: unknown key (did you mean rules?)");
    assertThatThrownBy(() -> yaml.mapping(node("zzzzzz: 1\n"), "top", KEYS, "a mapping"))
        .hasMessage("f.yaml:1: top.zzzzzz: unknown key: the keys here are rules, names");
  }

  @Test
  void a_repeated_key_names_the_line_it_was_first_given_on() {
    assertThatThrownBy(() -> yaml.mapping(node("a: 1\n\nb: 2\na: 3\n"), "", null, "a mapping"))
        .hasMessage("f.yaml:4: a: given twice (first on line 1)");
  }

  @Test
  void says_what_a_node_should_be_and_what_it_is() {
    assertThatThrownBy(() -> yaml.scalar(node("[1]"), "x", "a string"))
        .hasMessage("f.yaml:1: x: must be a string, not a list");
    assertThatThrownBy(() -> yaml.list(node("[]"), "x", "a list", "omit x"))
        .hasMessage("f.yaml:1: x: the list is empty: omit x");
  }

  @Test
  void absent_or_empty_is_an_empty_mapping_list_or_string_where_optional() throws Exception {
    assertThat(yaml.optionalMapping(null, "x", KEYS)).isEmpty();
    assertThat(yaml.strings(node("~"), "x", "names")).isEmpty();
    assertThat(yaml.string(node(""), "x", "a string")).isEmpty();
    assertThat(yaml.strings(node("[a, 1, true]"), "x", "names")).containsExactly("a", "1", "true");
  }

  @Test
  void text_that_is_not_yaml_is_an_error_at_its_line_and_an_alias_can_be_explained() {
    assertThatThrownBy(() -> yaml.compose("a: [\n"))
        .hasMessageStartingWith("f.yaml:2: not valid YAML: ");
    assertThatThrownBy(() -> yaml.compose("a: [*]\n", "quote the *"))
        .hasMessage("f.yaml:1: not valid YAML: quote the *");
  }
}
