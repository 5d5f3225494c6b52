package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Service and the monitors reach the port the exporter serves, and keep its labels. */
class MonitoringTest {
  private static Deploy.Rendered base;
  private static Map<String, String> podLabels;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
    podLabels = base.daemonSet().getSpec().getTemplate().getMetadata().getLabels();
  }

  /** The chart's alternative to the ServiceMonitor, not in the plain manifests. */
  private static GenericKubernetesResource podMonitor() {
    Deploy.Rendered rendered = Chart.render(Map.of("monitor.kind", "PodMonitor"));
    assertThat(rendered.custom("ServiceMonitor"))
        .as("never both: each node scraped twice")
        .isEmpty();
    return rendered.custom("PodMonitor").get(0);
  }

  @Test
  void the_service_selects_the_exporter_pods_on_their_metrics_port() {
    Service service = base.one(Service.class);
    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getClusterIP())
        .as("headless: every pod scraped")
        .isEqualTo("None");
    ServicePort port = service.getSpec().getPorts().get(0);
    assertThat(service.getSpec().getPorts()).hasSize(1);
    assertThat(port.getName()).isEqualTo("metrics");
    assertThat(port.getPort()).isEqualTo(9741);
    assertThat(port.getTargetPort().getStrVal())
        .isEqualTo(base.exporter().getPorts().get(0).getName());
  }

  @Test
  void the_service_monitor_scrapes_the_services_metrics_port_keeping_the_workloads_labels() {
    List<GenericKubernetesResource> monitors = base.custom("ServiceMonitor");
    assertThat(monitors).hasSize(1);
    GenericKubernetesResource monitor = monitors.get(0);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(base.one(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints).hasSize(1);
    assertThat(endpoints.get(0))
        .containsEntry("port", "metrics")
        .containsEntry("path", "/metrics")
        .containsEntry("honorLabels", true);
  }

  @Test
  void the_pod_monitor_scrapes_the_pods_metrics_port_keeping_the_workloads_labels()
      throws Exception {
    GenericKubernetesResource monitor = podMonitor();
    assertThat(monitor.getKind()).isEqualTo("PodMonitor");
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(Deploy.NAMESPACE);
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(podLabels).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
    assertThat(endpoints).hasSize(1);
    assertThat(endpoints.get(0))
        .containsEntry("port", base.exporter().getPorts().get(0).getName())
        .containsEntry("path", "/metrics")
        .containsEntry("honorLabels", true);
  }

  @Test
  void only_one_of_the_monitors_is_deployed_so_no_node_is_scraped_twice() {
    assertThat(base.custom("PodMonitor")).isEmpty();
    assertThat(base.custom("ServiceMonitor")).hasSize(1);
  }

  @Test
  void with_a_scrape_config_of_your_own_neither_monitor_but_the_service_stays() {
    Deploy.Rendered rendered = Chart.render(Map.of("monitor.kind", "None"));
    assertThat(rendered.custom("PodMonitor")).isEmpty();
    assertThat(rendered.custom("ServiceMonitor")).isEmpty();
    assertThat(rendered.one(Service.class).getSpec().getClusterIP()).isEqualTo("None");
  }

  @Test
  void ships_the_alerts_and_the_dashboards() {
    assertThat(base.custom("PrometheusRule")).hasSize(1);
    ConfigMap dashboards = base.named(ConfigMap.class, "capability-exporter-dashboards");
    assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboards.getData()).isNotEmpty();
  }
}
