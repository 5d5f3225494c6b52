package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Only the Prometheus pods reach the exporter's port; nothing else of the pod network does. */
class NetworkPolicyTest {
  /** The labels the Prometheus Operator gives a Prometheus pod (kube-prometheus-stack's too). */
  private static final Map<String, String> OPERATOR_PROMETHEUS =
      Map.of(
          "app.kubernetes.io/name", "prometheus",
          "app.kubernetes.io/instance", "kube-prometheus-stack-prometheus",
          "app.kubernetes.io/managed-by", "prometheus-operator",
          "operator.prometheus.io/name", "kube-prometheus-stack-prometheus",
          "prometheus", "kube-prometheus-stack-prometheus");

  private static Deploy.Rendered base;
  private static NetworkPolicy policy;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
    policy = base.one(NetworkPolicy.class);
  }

  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    assertThat(selector.getMatchExpressions()).as("matchLabels only").isNullOrEmpty();
    Map<String, String> wanted =
        selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    return labels.entrySet().containsAll(wanted.entrySet());
  }

  @Test
  void applies_to_the_exporter_pods_and_restricts_ingress_only() {
    Map<String, String> podLabels =
        base.daemonSet().getSpec().getTemplate().getMetadata().getLabels();
    assertThat(selects(policy.getSpec().getPodSelector(), podLabels)).isTrue();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(base.daemonSet().getSpec().getSelector().getMatchLabels());
    // Egress stays open: the API server and the OTLP collector.
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
  }

  @Test
  void admits_prometheus_pods_of_any_namespace_to_the_metrics_port_and_nothing_else() {
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    NetworkPolicyIngressRule rule = policy.getSpec().getIngress().get(0);
    assertThat(rule.getPorts()).hasSize(1);
    NetworkPolicyPort port = rule.getPorts().get(0);
    assertThat(port.getProtocol()).isEqualTo("TCP");
    assertThat(port.getPort().getStrVal()).isEqualTo(base.exporter().getPorts().get(0).getName());
    assertThat(base.exporter().getPorts().get(0).getContainerPort()).isEqualTo(9741);

    assertThat(rule.getFrom()).hasSize(1);
    NetworkPolicyPeer peer = rule.getFrom().get(0);
    assertThat(peer.getIpBlock()).isNull();
    assertThat(peer.getNamespaceSelector()).as("any namespace").isNotNull();
    assertThat(selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", "x")))
        .isTrue();
    assertThat(selects(peer.getPodSelector(), OPERATOR_PROMETHEUS)).isTrue();
    assertThat(selects(peer.getPodSelector(), Map.of("app", "web"))).isFalse();
    assertThat(selects(peer.getPodSelector(), Map.of("app.kubernetes.io/name", "grafana")))
        .isFalse();
  }
}
