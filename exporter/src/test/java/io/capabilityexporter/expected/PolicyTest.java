package io.capabilityexporter.expected;

import static io.capabilityexporter.expected.NamedChecks.allowed;
import static io.capabilityexporter.expected.NamedChecks.denied;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Pods;
import io.capabilityexporter.domain.Workload;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static final Workload CILIUM =
      new Workload("kube-system", "cilium-x7k2p", "cilium-agent");

  @Test
  void patterns_match_whole_names_with_star_and_question_mark() throws Exception {
    Policy policy =
        policy(
            """
            rules:
              - namespaces: ["kube-*"]
                pods: ["cilium-?????"]
                containers: [cilium-agent, "mount-*"]
                capabilities: [NET_ADMIN]
            """);

    assertThat(covers(policy, CILIUM, denied("NET_ADMIN"))).isTrue();
    assertThat(
            covers(policy, pod("kube-system", "cilium-x7k2p", "mount-cgroup"), denied("NET_ADMIN")))
        .isTrue();
    assertThat(
            covers(
                policy,
                pod("kube-system", "cilium-operator-1", "cilium-agent"),
                denied("NET_ADMIN")))
        .isFalse();
    assertThat(
            covers(
                policy, pod("my-kube-system", "cilium-x7k2p", "cilium-agent"), denied("NET_ADMIN")))
        .isFalse();
    assertThat(
            covers(
                policy, pod("kube-system", "cilium-x7k2p", "cilium-agentx"), denied("NET_ADMIN")))
        .isFalse();
  }

  @Test
  void an_omitted_field_matches_anything_the_host_included() throws Exception {
    Policy policy = policy("rules: [{capabilities: [SYS_TIME]}]");

    assertThat(covers(policy, CILIUM, denied("SYS_TIME"))).isTrue();
    assertThat(covers(policy, Workload.container("chrony.service"), allowed("SYS_TIME"))).isTrue();
    assertThat(covers(policy, Workload.HOST, allowed("SYS_TIME"))).isTrue();
  }

  @Test
  void an_empty_namespace_pattern_matches_only_the_host() throws Exception {
    Policy policy =
        policy(
            """
            rules:
              - namespaces: [""]
                containers: ["/system.slice/*", "*.service"]
                capabilities: [SYS_TIME]
            """);

    assertThat(covers(policy, Workload.container("chrony.service"), denied("SYS_TIME"))).isTrue();
    assertThat(covers(policy, Workload.container("/system.slice/ntp/x"), denied("SYS_TIME")))
        .isTrue();
    assertThat(covers(policy, pod("default", "ntp", "chrony.service"), denied("SYS_TIME")))
        .isFalse();
  }

  @Test
  void verdicts_limit_a_rule_to_allowed_or_denied_checks_and_default_to_both() throws Exception {
    Policy denies = policy("rules: [{capabilities: [CHOWN], verdicts: [deny]}]");
    Policy allows = policy("rules: [{capabilities: [CHOWN], verdicts: [Allow]}]");
    Policy both = policy("rules: [{capabilities: [CHOWN]}]");

    assertThat(covers(denies, CILIUM, denied("CHOWN"))).isTrue();
    assertThat(covers(denies, CILIUM, allowed("CHOWN"))).isFalse();
    assertThat(covers(allows, CILIUM, allowed("CHOWN"))).isTrue();
    assertThat(covers(allows, CILIUM, denied("CHOWN"))).isFalse();
    assertThat(covers(both, CILIUM, allowed("CHOWN"))).isTrue();
    assertThat(covers(both, CILIUM, denied("CHOWN"))).isTrue();
  }

  @Test
  void capabilities_are_names_with_or_without_cap_in_any_case_or_numbers() throws Exception {
    Policy policy = policy("rules: [{capabilities: [CAP_NET_RAW, sys_admin, 25, \"12\"]}]");

    assertThat(covers(policy, CILIUM, denied("NET_RAW"))).isTrue();
    assertThat(covers(policy, CILIUM, denied("SYS_ADMIN"))).isTrue();
    assertThat(covers(policy, CILIUM, denied("SYS_TIME"))).isTrue();
    assertThat(covers(policy, CILIUM, denied("NET_ADMIN"))).isTrue();
    assertThat(covers(policy, CILIUM, denied("CHOWN"))).isFalse();
  }

  @Test
  void all_or_star_covers_every_capability_even_one_newer_than_the_exporter() throws Exception {
    for (String any : new String[] {"ALL", "all", "\"*\"", "CHOWN, ALL"}) {
      Policy policy = policy("rules: [{namespaces: [ci], capabilities: [" + any + "]}]");

      assertThat(covers(policy, pod("ci", "build", "kaniko"), denied("SYS_ADMIN"))).isTrue();
      assertThat(covers(policy, pod("ci", "build", "kaniko"), new Check(63, true, Flag.YES, 0)))
          .isTrue();
      assertThat(covers(policy, pod("ci", "build", "kaniko"), new Check(64, true, Flag.YES, 0)))
          .isTrue();
      assertThat(covers(policy, CILIUM, denied("SYS_ADMIN"))).isFalse();
    }
  }

  @Test
  void a_string_selector_matches_the_labels_of_the_checks_pod() throws Exception {
    Policy policy =
        policy(
            """
            rules:
              - selector: "k8s-app=cilium, tier in (agent, operator), !canary"
                capabilities: [BPF]
            """);

    assertThat(
            covers(
                policy,
                CILIUM,
                labels(Map.of("k8s-app", "cilium", "tier", "agent")),
                denied("BPF")))
        .isTrue();
    assertThat(
            covers(
                policy,
                CILIUM,
                labels(Map.of("k8s-app", "cilium", "tier", "probe")),
                denied("BPF")))
        .isFalse();
    assertThat(
            covers(
                policy,
                CILIUM,
                labels(Map.of("k8s-app", "cilium", "tier", "agent", "canary", "")),
                denied("BPF")))
        .isFalse();
    assertThat(covers(policy, CILIUM, labels(Map.of("tier", "agent")), denied("BPF"))).isFalse();
  }

  @Test
  void a_mapping_selector_matches_like_a_deployments() throws Exception {
    Policy policy =
        policy(
            """
            rules:
              - selector:
                  matchLabels: {app.kubernetes.io/name: node-exporter}
                  matchExpressions:
                    - {key: env, operator: NotIn, values: [test, dev]}
                    - {key: release, operator: Exists}
                    - {key: canary, operator: DoesNotExist}
                    - {key: zone, operator: In, values: [a, b]}
                capabilities: [SYS_PTRACE]
            """);
    Map<String, String> matching =
        Map.of("app.kubernetes.io/name", "node-exporter", "release", "v1", "zone", "a");

    assertThat(covers(policy, CILIUM, labels(matching), denied("SYS_PTRACE"))).isTrue();
    assertThat(covers(policy, CILIUM, labels(with(matching, "env", "prod")), denied("SYS_PTRACE")))
        .isTrue();
    assertThat(covers(policy, CILIUM, labels(with(matching, "env", "dev")), denied("SYS_PTRACE")))
        .isFalse();
    assertThat(covers(policy, CILIUM, labels(with(matching, "canary", "1")), denied("SYS_PTRACE")))
        .isFalse();
    assertThat(covers(policy, CILIUM, labels(with(matching, "zone", "c")), denied("SYS_PTRACE")))
        .isFalse();
    assertThat(
            covers(
                policy,
                CILIUM,
                labels(Map.of("app.kubernetes.io/name", "node-exporter", "zone", "a")),
                denied("SYS_PTRACE")))
        .isFalse();
  }

  @Test
  void a_rule_with_a_selector_never_covers_a_check_outside_a_known_pod() throws Exception {
    Policy policy = policy("rules: [{selector: \"!canary\", capabilities: [ALL]}]");

    assertThat(covers(policy, CILIUM, Optional.empty(), denied("BPF"))).isFalse();
    assertThat(covers(policy, Workload.container("cron.service"), Optional.empty(), denied("BPF")))
        .isFalse();
    assertThat(covers(policy, CILIUM, labels(Map.of()), denied("BPF"))).isTrue();
  }

  @Test
  void any_rule_covering_the_check_is_enough() throws Exception {
    Policy policy =
        policy(
            """
            rules:
              - {namespaces: [a], capabilities: [CHOWN]}
              - {namespaces: [b], capabilities: [KILL]}
            """);

    assertThat(policy.size()).isEqualTo(2);
    assertThat(covers(policy, pod("b", "p", "c"), denied("KILL"))).isTrue();
    assertThat(covers(policy, pod("b", "p", "c"), denied("CHOWN"))).isFalse();
  }

  @Test
  void no_rules_cover_nothing() throws Exception {
    assertThat(policy("rules: []").size()).isZero();
    assertThat(covers(policy("rules: []"), CILIUM, denied("CHOWN"))).isFalse();
    assertThat(covers(Policy.EMPTY, CILIUM, denied("CHOWN"))).isFalse();
  }

  @Test
  void the_example_file_loads_and_means_what_its_comments_say() throws Exception {
    Policy example = Policy.load(Path.of("src/test/resources/policy/example.yaml"));
    Optional<PodFacts> cilium = labels(Map.of("k8s-app", "cilium"));
    Optional<PodFacts> nodeExporter = labels(Map.of("app.kubernetes.io/name", "node-exporter"));
    Optional<PodFacts> kaniko = labels(Map.of("runner", "kaniko"));

    assertThat(example.size()).isEqualTo(4);
    assertThat(covers(example, CILIUM, cilium, denied("SYS_MODULE"))).isTrue();
    assertThat(covers(example, CILIUM, cilium, allowed("SYS_MODULE"))).isFalse();
    Workload nodeExporterPod = pod("monitoring", "node-exporter-abcde", "node-exporter");
    assertThat(covers(example, nodeExporterPod, nodeExporter, allowed("SYS_PTRACE"))).isTrue();
    assertThat(covers(example, nodeExporterPod, nodeExporter, allowed("SYS_ADMIN"))).isFalse();
    assertThat(covers(example, Workload.container("chrony.service"), allowed("SYS_TIME"))).isTrue();
    assertThat(covers(example, Workload.container("chrony.service"), denied("SYS_TIME"))).isFalse();
    assertThat(covers(example, pod("ci-main", "build-1", "kaniko"), kaniko, denied("SYS_ADMIN")))
        .isTrue();
    assertThat(
            covers(
                example,
                pod("ci-main", "build-1", "kaniko"),
                Optional.empty(),
                denied("SYS_ADMIN")))
        .isFalse();
  }

  static Policy policy(String yaml) throws PolicyException {
    return Policy.parse("policy.yaml", yaml);
  }

  private static Workload pod(String namespace, String pod, String container) {
    return new Workload(namespace, pod, container);
  }

  private static boolean covers(Policy policy, Workload workload, Check check) {
    return covers(policy, workload, Optional.empty(), check);
  }

  private static boolean covers(
      Policy policy, Workload workload, Optional<PodFacts> pod, Check check) {
    return policy.covers(workload, check, () -> pod);
  }

  private static Optional<PodFacts> labels(Map<String, String> labels) {
    return Optional.of(Pods.granting(labels, Map.of(), Map.of()));
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> more = new HashMap<>(labels);
    more.put(key, value);
    return more;
  }
}
