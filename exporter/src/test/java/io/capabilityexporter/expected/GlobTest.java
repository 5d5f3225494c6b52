package io.capabilityexporter.expected;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void star_is_any_run_of_characters_slashes_included() {
    assertThat(new Glob("cilium-*").matches("cilium-x7k2p")).isTrue();
    assertThat(new Glob("cilium-*").matches("cilium-")).isTrue();
    assertThat(new Glob("cilium-*").matches("cilium")).isFalse();
    assertThat(new Glob("*").matches("")).isTrue();
    assertThat(new Glob("/system.slice/*").matches("/system.slice/docker-1.scope/init")).isTrue();
    assertThat(new Glob("*-agent").matches("cilium-agent-agent")).isTrue();
    assertThat(new Glob("a*b*c").matches("aXbYbZc")).isTrue();
    assertThat(new Glob("a*b*c").matches("aXbYcZ")).isFalse();
  }

  @Test
  void question_mark_is_exactly_one_character() {
    assertThat(new Glob("pod-?").matches("pod-1")).isTrue();
    assertThat(new Glob("pod-?").matches("pod-")).isFalse();
    assertThat(new Glob("pod-?").matches("pod-12")).isFalse();
  }

  @Test
  void other_characters_match_themselves_over_the_whole_name() {
    assertThat(new Glob("kube-system").matches("kube-system")).isTrue();
    assertThat(new Glob("kube-system").matches("my-kube-system")).isFalse();
    assertThat(new Glob("a.b").matches("aXb")).isFalse();
    assertThat(new Glob("").matches("")).isTrue();
    assertThat(new Glob("").matches("x")).isFalse();
  }

  @Test
  void no_patterns_match_any_name() {
    assertThat(Glob.anyMatches(List.of(), "anything")).isTrue();
    assertThat(Glob.anyMatches(List.of(new Glob("a"), new Glob("b*")), "bee")).isTrue();
    assertThat(Glob.anyMatches(List.of(new Glob("a"), new Glob("b*")), "cee")).isFalse();
  }
}
