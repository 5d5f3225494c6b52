package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/otel-collector: an example collector, and the chart's otlp.endpoint pointing the exporter
 * at it.
 */
class OtelCollectorTest {
  private static final Path COLLECTOR = Deploy.DIR.resolve("otel-collector");
  private static Deploy.Rendered collector;

  @BeforeAll
  static void render() throws Exception {
    collector = Deploy.render(COLLECTOR);
  }

  private static int containerPort(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port " + name));
  }

  @Test
  void is_a_deployment_a_service_and_its_config_and_nothing_of_the_exporters() {
    assertThat(collector.objects())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ConfigMap/otel-collector-config",
            "Deployment/otel-collector",
            "Service/otel-collector");
    assertThat(collector.objects())
        .extracting(o -> o.getMetadata().getNamespace())
        .containsOnly(Deploy.NAMESPACE);
    assertThat(collector.objects().stream().flatMap(o -> UnknownFields.of(o).stream())).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void receives_otlp_over_grpc_and_http_and_logs_the_records_with_the_debug_exporter() {
    Map<String, Object> config =
        new Yaml()
            .load(
                collector
                    .named(ConfigMap.class, "otel-collector-config")
                    .getData()
                    .get("collector.yaml"));
    Map<String, Map<String, Object>> protocols =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) ((Map<String, Object>) config.get("receivers")).get("otlp"))
                .get("protocols");
    assertThat(protocols.get("grpc")).containsEntry("endpoint", "0.0.0.0:4317");
    assertThat(protocols.get("http")).containsEntry("endpoint", "0.0.0.0:4318");
    assertThat((Map<String, Object>) config.get("exporters")).containsKey("debug");
    Map<String, Object> logs =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) config.get("service")).get("pipelines"))
                .get("logs");
    assertThat((List<String>) logs.get("receivers")).containsExactly("otlp");
    assertThat((List<String>) logs.get("exporters")).containsExactly("debug");

    Container container =
        collector.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).contains("--config=/etc/otelcol/collector.yaml");
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/otelcol"));
    Service service = collector.one(Service.class);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(collector.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    for (ServicePort port : service.getSpec().getPorts()) {
      assertThat(containerPort(container, port.getTargetPort().getStrVal()))
          .isEqualTo(port.getPort());
    }
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getPort)
        .containsExactlyInAnyOrder(4317, 4318);
  }

  @Test
  void the_charts_otlp_endpoint_points_the_exporter_at_the_collectors_grpc_port() throws Exception {
    // The address the collector's kustomization says to give the chart (otlp.endpoint).
    String endpoint = "http://otel-collector.capability-exporter.svc:4317";
    List<HasMetadata> objects =
        new ArrayList<>(Chart.render(Map.of("otlp.endpoint", endpoint)).objects());
    objects.addAll(collector.objects());
    Deploy.Rendered both = new Deploy.Rendered(objects);

    Service service = both.named(Service.class, "otel-collector");
    int grpc =
        service.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals("otlp-grpc"))
            .findFirst()
            .orElseThrow()
            .getPort();
    List<EnvVar> env = both.exporter().getEnv();
    assertThat(env)
        .contains(
            new EnvVar(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://"
                    + service.getMetadata().getName()
                    + "."
                    + service.getMetadata().getNamespace()
                    + ".svc:"
                    + grpc,
                null));
    assertThat(env).extracting(EnvVar::getName).contains("NODE_NAME");
    // Not in the plain manifests: OTLP stays off unless asked for.
    assertThat(Deploy.base().exporter().getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT");
  }
}
