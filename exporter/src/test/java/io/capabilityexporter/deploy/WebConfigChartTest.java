package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's webConfig: the exporter serves with a web config from a Secret, and the monitors
 * scrape it over HTTPS with basic auth.
 */
class WebConfigChartTest {
  private static final String FLAG = "--web.config.file=";

  private static Deploy.Rendered withWebConfig(String monitorKind) {
    return Chart.render(Map.of("webConfig.enabled", true, "monitor.kind", monitorKind));
  }

  @Test
  void the_exporter_reads_the_web_config_from_the_secret_and_probes_over_https() throws Exception {
    Deploy.Rendered rendered = withWebConfig("ServiceMonitor");
    Container exporter = rendered.exporter();
    List<String> flags = exporter.getArgs().stream().filter(a -> a.startsWith(FLAG)).toList();
    assertThat(flags).hasSize(1);
    Path file = Path.of(flags.get(0).substring(FLAG.length()));
    VolumeMount mount =
        exporter.getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath()))
            .max(java.util.Comparator.comparing(m -> m.getMountPath().length()))
            .orElseThrow(() -> new AssertionError("no volume mounted at " + file.getParent()));
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        rendered.daemonSet().getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("capability-exporter-web-config");
    // The whole Secret, not a subPath: the kubelet's updates reach the exporter, which re-reads.
    assertThat(mount.getSubPath()).isNull();
    // Of its own, not inside another volume's mount (the policy's ConfigMap).
    assertThat(exporter.getVolumeMounts())
        .filteredOn(m -> m != mount)
        .noneMatch(m -> Path.of(mount.getMountPath()).startsWith(m.getMountPath()));
    assertThat(file.getFileName().toString()).isEqualTo("web.yml");
    assertThat(exporter.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(exporter.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(rendered.objects().stream().flatMap(o -> UnknownFields.of(o).stream())).isEmpty();
    // Not in the plain manifests: plain HTTP unless asked for.
    assertThat(Deploy.base().exporter().getArgs()).noneMatch(a -> a.startsWith(FLAG));
  }

  @Test
  void the_service_monitor_scrapes_over_https_with_basic_auth() throws Exception {
    Deploy.Rendered rendered = withWebConfig("ServiceMonitor");
    GenericKubernetesResource monitor = rendered.custom("ServiceMonitor").get(0);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertScrapesOverHttps(endpoints.get(0), rendered.one(Service.class));
  }

  @Test
  void so_does_the_pod_monitor() throws Exception {
    Deploy.Rendered rendered = withWebConfig("PodMonitor");
    GenericKubernetesResource monitor = rendered.custom("PodMonitor").get(0);
    List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
    assertScrapesOverHttps(endpoints.get(0), rendered.one(Service.class));
  }

  @SuppressWarnings("unchecked")
  private static void assertScrapesOverHttps(Map<String, Object> endpoint, Service service) {
    assertThat(endpoint).containsEntry("scheme", "https").containsEntry("honorLabels", true);
    Map<String, Object> tls = (Map<String, Object>) endpoint.get("tlsConfig");
    assertThat(tls)
        .containsEntry(
            "serverName",
            service.getMetadata().getName() + "." + service.getMetadata().getNamespace() + ".svc");
    assertThat((Map<String, Object>) ((Map<String, Object>) tls.get("ca")).get("secret"))
        .containsEntry("name", "capability-exporter-scrape")
        .containsEntry("key", "ca.crt");
    Map<String, Map<String, Object>> basicAuth =
        (Map<String, Map<String, Object>>) endpoint.get("basicAuth");
    assertThat(basicAuth.get("username"))
        .containsEntry("name", "capability-exporter-scrape")
        .containsEntry("key", "username");
    assertThat(basicAuth.get("password"))
        .containsEntry("name", "capability-exporter-scrape")
        .containsEntry("key", "password");
  }
}
