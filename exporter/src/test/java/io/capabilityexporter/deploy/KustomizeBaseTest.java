package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code kubectl apply -k deploy/} applies, parsed by fabric8's model. */
class KustomizeBaseTest {
  private static Deploy.Rendered base;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
  }

  @Test
  void renders_the_exporter_its_access_and_its_monitoring() {
    assertThat(base.objects())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Namespace/capability-exporter",
            "ServiceAccount/capability-exporter",
            "ClusterRole/capability-exporter",
            "ClusterRoleBinding/capability-exporter",
            "ConfigMap/capability-exporter-policy",
            "ConfigMap/capability-exporter-dashboards",
            "DaemonSet/capability-exporter",
            "Service/capability-exporter",
            "NetworkPolicy/capability-exporter",
            "ServiceMonitor/capability-exporter",
            "PrometheusRule/capability-exporter");
  }

  @Test
  void kubernetes_kinds_parse_into_their_model_classes_and_the_operators_as_custom_resources() {
    assertThat(base.objects())
        .extracting(o -> o.getKind() + " " + o.getClass().getSimpleName())
        .contains(
            "Namespace " + Namespace.class.getSimpleName(),
            "ServiceAccount " + ServiceAccount.class.getSimpleName(),
            "ClusterRole " + ClusterRole.class.getSimpleName(),
            "ClusterRoleBinding " + ClusterRoleBinding.class.getSimpleName(),
            "ConfigMap " + ConfigMap.class.getSimpleName(),
            "DaemonSet " + DaemonSet.class.getSimpleName(),
            "Service " + Service.class.getSimpleName(),
            "NetworkPolicy " + NetworkPolicy.class.getSimpleName());
    assertThat(base.all(GenericKubernetesResource.class))
        .extracting(HasMetadata::getApiVersion)
        .containsOnly("monitoring.coreos.com/v1");
  }

  @Test
  void every_field_is_one_kubernetes_knows() {
    List<String> unknown =
        base.objects().stream()
            .flatMap(o -> UnknownFields.of(o).stream().map(path -> o.getKind() + path))
            .toList();
    assertThat(unknown).as("fields fabric8's model does not know (typos?)").isEmpty();
  }

  @Test
  void everything_namespaced_is_in_the_capability_exporter_namespace() {
    assertThat(base.objects())
        .filteredOn(
            o ->
                !(o instanceof Namespace
                    || o instanceof ClusterRole
                    || o instanceof ClusterRoleBinding))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Deploy.NAMESPACE));
  }

  @Test
  void the_namespace_admits_what_the_exporter_needs() {
    // hostPID, hostPath and added capabilities are beyond the baseline Pod Security Standard.
    assertThat(base.one(Namespace.class).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
  }
}
