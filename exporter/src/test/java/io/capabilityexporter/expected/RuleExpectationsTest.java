package io.capabilityexporter.expected;

import static io.capabilityexporter.expected.NamedChecks.allowed;
import static io.capabilityexporter.expected.NamedChecks.auditUnknown;
import static io.capabilityexporter.expected.NamedChecks.denied;
import static io.capabilityexporter.expected.NamedChecks.noaudit;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.domain.Pods;
import io.capabilityexporter.domain.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuleExpectationsTest {
  private static final Workload APP = new Workload("shop", "cart-7d9f", "cart");
  private static final Workload HOST_UNIT = Workload.container("cron.service");

  @Test
  void a_check_the_policy_covers_is_expected_and_one_it_does_not_is_not() throws Exception {
    Expectations expectations =
        on(
            policy(
                """
                rules:
                  - namespaces: [shop]
                    capabilities: [NET_BIND_SERVICE]
                """),
            PodLookup.NONE);

    assertThat(expectations.expected(APP, denied("NET_BIND_SERVICE"))).isTrue();
    assertThat(expectations.expected(APP, denied("NET_ADMIN"))).isFalse();
    assertThat(expectations.expected(HOST_UNIT, denied("NET_BIND_SERVICE"))).isFalse();
  }

  @Test
  void the_annotation_makes_the_capabilities_it_lists_expected_and_no_others() {
    Expectations expectations =
        on(Policy.EMPTY, pods(annotated("NET_ADMIN"), Map.of("cart", ContainerGrants.NONE)));

    assertThat(expectations.expected(APP, denied("NET_ADMIN"))).isTrue();
    assertThat(expectations.expected(APP, allowed("NET_ADMIN"))).isTrue();
    assertThat(expectations.expected(APP, denied("SYS_ADMIN"))).isFalse();
  }

  @Test
  void the_annotation_is_separated_by_commas_or_spaces_with_or_without_cap_in_any_case() {
    Expectations expectations =
        on(
            Policy.EMPTY,
            pods(
                annotated(" cap_net_raw,SYS_TIME  CAP_Sys_Nice,, typo_cap "),
                Map.of("cart", ContainerGrants.NONE)));

    assertThat(expectations.expected(APP, denied("NET_RAW"))).isTrue();
    assertThat(expectations.expected(APP, denied("SYS_TIME"))).isTrue();
    assertThat(expectations.expected(APP, denied("SYS_NICE"))).isTrue();
    assertThat(expectations.expected(APP, denied("CHOWN"))).isFalse();
  }

  @Test
  void an_added_capability_makes_its_allowed_checks_expected_but_not_its_denied_ones() {
    Expectations expectations =
        on(
            Policy.EMPTY,
            pods(Map.of(), Map.of("cart", new ContainerGrants(Set.of("NET_RAW"), false))));

    assertThat(expectations.expected(APP, allowed("NET_RAW"))).isTrue();
    assertThat(expectations.expected(APP, denied("NET_RAW"))).isFalse();
    assertThat(expectations.expected(APP, allowed("NET_ADMIN"))).isFalse();
  }

  @Test
  void the_grants_are_the_checking_containers_own_not_its_neighbours() {
    Expectations expectations =
        on(
            Policy.EMPTY,
            pods(
                Map.of(),
                Map.of(
                    "cart",
                    ContainerGrants.NONE,
                    "sidecar",
                    new ContainerGrants(Set.of("NET_ADMIN"), true))));

    assertThat(expectations.expected(APP, allowed("NET_ADMIN"))).isFalse();
    assertThat(
            expectations.expected(
                new Workload("shop", "cart-7d9f", "sidecar"), allowed("NET_ADMIN")))
        .isTrue();
  }

  @Test
  void a_privileged_container_has_every_allowed_check_expected_and_no_denied_one() {
    Expectations expectations =
        on(Policy.EMPTY, pods(Map.of(), Map.of("cart", new ContainerGrants(Set.of(), true))));

    assertThat(expectations.expected(APP, allowed("SYS_ADMIN"))).isTrue();
    assertThat(expectations.expected(APP, allowed("SYS_MODULE"))).isTrue();
    assertThat(expectations.expected(APP, denied("SYS_ADMIN"))).isFalse();
  }

  @Test
  void adding_all_grants_every_capability_as_the_runtimes_do() {
    Expectations expectations =
        on(Policy.EMPTY, pods(Map.of(), Map.of("cart", new ContainerGrants(Set.of("ALL"), false))));

    assertThat(expectations.expected(APP, allowed("SYS_ADMIN"))).isTrue();
    assertThat(expectations.expected(APP, denied("SYS_ADMIN"))).isFalse();
  }

  @Test
  void a_check_made_without_auditing_is_expected_allowed_or_denied() {
    Expectations expectations = on(Policy.EMPTY, PodLookup.NONE);

    assertThat(expectations.expected(HOST_UNIT, noaudit("SYS_ADMIN", true))).isTrue();
    assertThat(expectations.expected(HOST_UNIT, noaudit("SYS_ADMIN", false))).isTrue();
  }

  @Test
  void an_audited_check_or_one_whose_audit_is_unknown_is_not_expected_by_that_alone() {
    Expectations expectations = on(Policy.EMPTY, PodLookup.NONE);

    assertThat(expectations.expected(HOST_UNIT, denied("SYS_ADMIN"))).isFalse();
    assertThat(expectations.expected(HOST_UNIT, allowed("SYS_ADMIN"))).isFalse();
    assertThat(expectations.expected(HOST_UNIT, auditUnknown("SYS_ADMIN", true))).isFalse();
  }

  @Test
  void an_unknown_pod_has_only_the_policy_and_noaudit() throws Exception {
    Expectations expectations =
        on(policy("rules: [{pods: [cart-*], capabilities: [CHOWN]}]"), PodLookup.NONE);

    assertThat(expectations.expected(APP, allowed("CHOWN"))).isTrue();
    assertThat(expectations.expected(APP, allowed("NET_RAW"))).isFalse();
    assertThat(expectations.expected(APP, noaudit("NET_RAW", true))).isTrue();
  }

  @Test
  void asks_for_the_pod_once_a_check_and_never_for_a_host_or_a_noaudit_check() throws Exception {
    List<String> asked = new ArrayList<>();
    PodLookup counting =
        (namespace, name) -> {
          asked.add(namespace + "/" + name);
          return Optional.empty();
        };
    Expectations expectations =
        on(
            policy(
                """
                rules:
                  - {selector: "app=a", capabilities: [CHOWN]}
                  - {selector: "app=b", capabilities: [CHOWN]}
                """),
            counting);

    expectations.expected(APP, denied("CHOWN"));
    expectations.expected(HOST_UNIT, denied("CHOWN"));
    expectations.expected(APP, noaudit("CHOWN", true));

    assertThat(asked).containsExactly("shop/cart-7d9f");
  }

  @Test
  void a_reloaded_policy_applies_to_the_next_check() throws Exception {
    AtomicReference<Policy> current = new AtomicReference<>(Policy.EMPTY);
    Expectations expectations = new RuleExpectations(current::get, PodLookup.NONE);
    assertThat(expectations.expected(HOST_UNIT, denied("SETUID"))).isFalse();

    current.set(policy("rules: [{containers: [cron.service], capabilities: [SETUID]}]"));

    assertThat(expectations.expected(HOST_UNIT, denied("SETUID"))).isTrue();
  }

  @Test
  void a_check_against_a_user_namespace_the_workload_made_is_expected() {
    Expectations expectations =
        on(Policy.EMPTY, pods(Map.of(), Map.of("cart", ContainerGrants.NONE)));
    Check nested = new Check(Capability.number("SYS_ADMIN").orElseThrow(), false, Flag.YES, 1);
    Check host = new Check(Capability.number("SYS_ADMIN").orElseThrow(), true, Flag.YES, 0);

    assertThat(expectations.expected(APP, nested)).isTrue();
    assertThat(expectations.expected(HOST_UNIT, nested)).isTrue();
    assertThat(expectations.expected(APP, host))
        .as("the seed case: the host's namespace")
        .isFalse();
  }

  @Test
  void a_pod_with_a_user_namespace_of_its_own_uses_its_grants_there() {
    PodFacts own = Pods.granting(Map.of(), Map.of(), Map.of("cart", ContainerGrants.NONE), true);
    PodLookup pods =
        (namespace, name) -> name.equals("cart-7d9f") ? Optional.of(own) : Optional.empty();
    Expectations expectations = on(Policy.EMPTY, pods);
    int sysAdmin = Capability.number("SYS_ADMIN").orElseThrow();

    assertThat(expectations.expected(APP, new Check(sysAdmin, true, Flag.YES, 1)))
        .as("the pod's own namespace: its container's")
        .isFalse();
    assertThat(expectations.expected(APP, new Check(sysAdmin, false, Flag.YES, 2)))
        .as("one the workload made inside it")
        .isTrue();
  }

  private static Expectations on(Policy policy, PodLookup pods) {
    return new RuleExpectations(() -> policy, pods);
  }

  static Policy policy(String yaml) throws PolicyException {
    return Policy.parse("policy.yaml", yaml);
  }

  private static Map<String, String> annotated(String value) {
    return Map.of(ExpectedAnnotation.NAME, value);
  }

  /** The pod shop/cart-7d9f, and no other. */
  private static PodLookup pods(
      Map<String, String> annotations, Map<String, ContainerGrants> containers) {
    PodFacts cart = Pods.granting(Map.of("app", "cart"), annotations, containers);
    return (namespace, name) ->
        namespace.equals("shop") && name.equals("cart-7d9f") ? Optional.of(cart) : Optional.empty();
  }
}
