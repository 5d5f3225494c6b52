package io.capabilityexporter.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorSyntaxTest {

  @Test
  void reads_every_operator_kubectl_takes() {
    assertThat(SelectorSyntax.parse("a=1,b==2,c!=3,d in (4,5),e notin (6),f,!g"))
        .hasToString("a=1,b=2,c!=3,d in (4,5),e!=6,f,!g");
    assertThat(SelectorSyntax.parse("  tier  in(a ,b) ,  !canary "))
        .hasToString("tier in (a,b),!canary");
    assertThat(SelectorSyntax.parse("example.com/role=")).hasToString("example.com/role=");
  }

  @Test
  void equality_needs_the_label_and_inequality_holds_without_it() {
    LabelSelector equal = SelectorSyntax.parse("env=prod");
    LabelSelector notEqual = SelectorSyntax.parse("env!=prod");
    LabelSelector notIn = SelectorSyntax.parse("env notin (prod,staging)");

    assertThat(equal.matches(Map.of("env", "prod"))).isTrue();
    assertThat(equal.matches(Map.of())).isFalse();
    assertThat(notEqual.matches(Map.of())).isTrue();
    assertThat(notEqual.matches(Map.of("env", "prod"))).isFalse();
    assertThat(notIn.matches(Map.of("env", "dev"))).isTrue();
    assertThat(notIn.matches(Map.of("env", "staging"))).isFalse();
  }

  @Test
  void names_what_is_wrong_and_shows_the_syntax() {
    assertThatThrownBy(() -> SelectorSyntax.parse("tier in agent"))
        .hasMessage(
            "\"tier in agent\" is not a label selector: expected \"(\" after \"tier in\", found"
                + " \"agent\" (write e.g. k8s-app=cilium,tier in (agent,operator),!canary)");
    assertThatThrownBy(() -> SelectorSyntax.parse("app=cilium,"))
        .hasMessage(
            "\"app=cilium,\" is not a label selector: expected a label key, found the end"
                + " (write e.g. k8s-app=cilium,tier in (agent,operator),!canary)");
    assertThatThrownBy(() -> SelectorSyntax.parse("app cilium"))
        .hasMessage(
            "\"app cilium\" is not a label selector: expected =, ==, !=, in, notin, \",\" or the"
                + " end after \"app\", found \"cilium\" (write e.g. k8s-app=cilium,tier in"
                + " (agent,operator),!canary)");
    assertThatThrownBy(() -> SelectorSyntax.parse("tier in ()"))
        .hasMessage(
            "\"tier in ()\" is not a label selector: expected a label value in \"tier in (...)\","
                + " found \")\" (write e.g. k8s-app=cilium,tier in (agent,operator),!canary)");
    assertThatThrownBy(() -> SelectorSyntax.parse("app:cilium"))
        .hasMessage(
            "\"app:cilium\" is not a label key: at most 63 letters, digits, '-', '_' and '.',"
                + " starting and ending with a letter or digit (with an optional prefix/)");
    assertThatThrownBy(() -> SelectorSyntax.parse("app=-x"))
        .hasMessage(
            "\"-x\" is not a label value: at most 63 letters, digits, '-', '_' and '.', starting"
                + " and ending with a letter or digit");
    assertThatThrownBy(() -> SelectorSyntax.parse("  "))
        .hasMessage(
            "the selector is empty: omit it to match any pod, or write e.g. k8s-app=cilium,tier in"
                + " (agent,operator),!canary");
  }
}
