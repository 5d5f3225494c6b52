package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exporter may read pods, and nothing else; the people who ask every exporter from a
 * workstation ({@code profile --cluster}) get a Role of their own only when the values ask.
 */
class RbacTest {
  private static Deploy.Rendered base;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
  }

  @Test
  void grants_exactly_get_list_and_watch_on_pods() {
    ClusterRole role = base.one(ClusterRole.class);
    assertThat(role.getAggregationRule()).isNull();
    assertThat(role.getRules()).hasSize(1);
    PolicyRule rule = role.getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("");
    assertThat(rule.getResources()).containsExactly("pods");
    assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(rule.getResourceNames()).isEmpty();
    assertThat(rule.getNonResourceURLs()).isEmpty();
    assertThat(base.all(Role.class)).isEmpty();
    assertThat(base.all(RoleBinding.class)).isEmpty();
  }

  @Test
  void binds_the_role_to_the_exporters_service_account_only() {
    ClusterRoleBinding binding = base.one(ClusterRoleBinding.class);
    ServiceAccount account = base.one(ServiceAccount.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(base.one(ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
    assertThat(base.daemonSet().getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
  }

  @Test
  void the_opt_in_cluster_access_role_lets_its_subjects_find_and_port_forward_to_the_exporters() {
    Deploy.Rendered rendered =
        Chart.render(
            java.util.Map.of(
                "clusterAccess.create", true,
                "clusterAccess.subjects[0].kind", "Group",
                "clusterAccess.subjects[0].name", "platform-team"));
    Role role = rendered.one(Role.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(Deploy.NAMESPACE);
    assertThat(role.getRules())
        .extracting(rule -> rule.getApiGroups() + " " + rule.getResources() + " " + rule.getVerbs())
        .containsExactlyInAnyOrder("[] [pods] [get, list]", "[] [pods/portforward] [get, create]");
    RoleBinding binding = rendered.one(RoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("Group");
              assertThat(subject.getName()).isEqualTo("platform-team");
              assertThat(subject.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
            });
    assertThat(rendered.one(ClusterRole.class).getRules())
        .as("the exporter's own grants are unchanged")
        .isEqualTo(base.one(ClusterRole.class).getRules());
  }

  @Test
  void the_chart_by_default_grants_nobody_a_way_to_the_exporters() {
    assertThat(Chart.render(java.util.Map.of()).all(Role.class)).isEmpty();
    assertThat(Chart.render(java.util.Map.of()).all(RoleBinding.class)).isEmpty();
  }
}
