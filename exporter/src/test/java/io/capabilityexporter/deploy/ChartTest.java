package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.capabilityexporter.expected.Policy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart: lints, and renders what its values say. */
class ChartTest {
  private static final String PROFILES_FLAG = "--profiles.file=";

  private static Path ciValues(String name) {
    return Chart.CI_VALUES.resolve(name + "-values.yaml");
  }

  private static PodSpec pod(Deploy.Rendered rendered) {
    return rendered.daemonSet().getSpec().getTemplate().getSpec();
  }

  private static List<String> volumeNames(Deploy.Rendered rendered) {
    return pod(rendered).getVolumes().stream().map(Volume::getName).toList();
  }

  private static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  @Test
  void lints_strictly_without_an_error_or_a_warning() {
    LintResult lint = Chart.lint();
    assertThat(lint.isFailed()).as(lint.getMessages().toString()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void every_values_file_under_ci_renders_objects_kubernetes_knows() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(Chart.CI_VALUES)) {
      files = list.sorted().toList();
    }
    assertThat(files).extracting(f -> f.getFileName().toString()).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : files) {
      Deploy.Rendered rendered = Chart.render(Map.of(), file);
      assertThat(rendered.objects().stream().flatMap(o -> UnknownFields.of(o).stream()))
          .as(file.toString())
          .isEmpty();
    }
  }

  @Test
  void by_default_kube_prometheus_stack_installed_as_the_docs_say_selects_the_monitor_and_rules() {
    // `helm install kube-prometheus-stack ...`: its selectors want release=kube-prometheus-stack.
    Deploy.Rendered rendered = Chart.render(Map.of());
    List<GenericKubernetesResource> selected = new ArrayList<>(rendered.custom("ServiceMonitor"));
    selected.addAll(rendered.custom("PrometheusRule"));
    assertThat(selected).hasSize(2);
    assertThat(selected)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry("release", "kube-prometheus-stack"));
  }

  @Test
  void the_kube_prometheus_stack_values_put_the_dashboards_where_its_grafana_looks() {
    Deploy.Rendered rendered = Chart.render(Map.of(), ciValues("kube-prometheus-stack"));
    ConfigMap dashboards = rendered.named(ConfigMap.class, "capability-exporter-dashboards");
    assertThat(dashboards.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboards.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Security");
    assertThat(rendered.custom("ServiceMonitor").get(0).getMetadata().getLabels())
        .containsEntry("release", "kube-prometheus-stack");
    // Everything else stays in the release's namespace.
    assertThat(rendered.objects())
        .filteredOn(o -> o.getMetadata().getNamespace() != null && o != dashboards)
        .extracting(o -> o.getMetadata().getNamespace())
        .containsOnly(Deploy.NAMESPACE);
  }

  @Test
  void the_otlp_without_profiles_values_send_events_and_keep_nothing_on_the_node() {
    Deploy.Rendered rendered = Chart.render(Map.of(), ciValues("otlp-without-profiles"));
    Container exporter = rendered.exporter();
    assertThat(exporter.getArgs()).noneMatch(a -> a.startsWith(PROFILES_FLAG));
    assertThat(volumeNames(rendered)).doesNotContain("data");
    assertThat(pod(rendered).getVolumes())
        .allSatisfy(
            v -> {
              if (v.getHostPath() != null) {
                assertThat(v.getHostPath().getPath()).isIn("/sys/fs/cgroup", "/sys/kernel/btf");
              }
            });
    assertThat(env(exporter))
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring.svc:4317")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "X-Scope-OrgID=capability-exporter");
    // The defaults: profiles on, on the hostPath; OTLP off.
    Deploy.Rendered defaults = Chart.render(Map.of());
    assertThat(defaults.exporter().getArgs())
        .contains(PROFILES_FLAG + "/var/lib/capability-exporter/profiles.json");
    assertThat(env(defaults.exporter())).doesNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT");
  }

  @Test
  void otlp_headers_are_encoded_as_the_sdk_reads_them_or_come_from_a_secret() {
    Container plain =
        Chart.render(Map.of("otlp.headers.X-Scope-OrgID", "a b,c", "otlp.headers.Tenant", "t=1"))
            .exporter();
    assertThat(env(plain))
        .containsEntry("OTEL_EXPORTER_OTLP_HEADERS", "Tenant=t%3D1,X-Scope-OrgID=a+b%2Cc");
    Container secret = Chart.render(Map.of("otlp.headersSecret", "otlp-auth")).exporter();
    EnvVar headers =
        secret.getEnv().stream()
            .filter(e -> e.getName().equals("OTEL_EXPORTER_OTLP_HEADERS"))
            .findFirst()
            .orElseThrow();
    assertThat(headers.getValueFrom().getSecretKeyRef().getName()).isEqualTo("otlp-auth");
    assertThat(headers.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("headers");
    assertThatThrownBy(
            () -> Chart.template(Map.of("otlp.headersSecret", "s", "otlp.headers.A", "b")))
        .hasMessageContaining("otlp.headers and otlp.headersSecret");
  }

  @Test
  void policy_rules_become_a_policy_file_the_exporter_loads(@TempDir Path dir) throws Exception {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        policy:
          rules:
            - name: cilium-agent probes
              namespaces: [kube-system]
              pods: ["cilium-*"]
              selector: "k8s-app=cilium"
              capabilities: [SYS_MODULE, PERFMON]
              verdicts: [deny]
            - name: time daemons
              namespaces: [""]
              containers: [chrony.service]
              capabilities: [CAP_SYS_TIME]
        """);
    Deploy.Rendered withRules = Chart.render(Map.of(), values);
    ConfigMap policy = withRules.named(ConfigMap.class, "capability-exporter-policy");
    // The exporters re-read the file: a new policy is no reason to roll every node's exporter.
    assertThat(withRules.daemonSet().getSpec().getTemplate())
        .isEqualTo(Chart.render(Map.of()).daemonSet().getSpec().getTemplate());
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policy.getData().get("policy.yaml"));
    assertThat(Policy.load(file).size()).isEqualTo(2);
    Map<String, Object> parsed = new Yaml().load(policy.getData().get("policy.yaml"));
    assertThat(parsed.get("rules").toString()).contains("cilium-*", "k8s-app=cilium");
    // The default is an empty policy, which loads too.
    ConfigMap empty = Chart.render(Map.of()).named(ConfigMap.class, "capability-exporter-policy");
    Files.writeString(file, empty.getData().get("policy.yaml"));
    assertThat(Policy.load(file).size()).isZero();
  }

  @Test
  void scheduling_resources_image_and_extra_flags_come_from_the_values(@TempDir Path dir)
      throws Exception {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        image: {repository: registry.example.com/capability-exporter, tag: 1.2.3}
        nodeSelector: {kubernetes.io/os: linux}
        priorityClassName: system-node-critical
        resources: {limits: {memory: 512Mi}}
        extraArgs: [--bpf.counts-max-entries=32768]
        capabilities: [BPF, PERFMON, SYSLOG, SYS_RESOURCE]
        """);
    Deploy.Rendered rendered = Chart.render(Map.of(), values);
    PodSpec pod = pod(rendered);
    Container exporter = rendered.exporter();
    assertThat(exporter.getImage()).isEqualTo("registry.example.com/capability-exporter:1.2.3");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(exporter.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(exporter.getArgs()).endsWith("--bpf.counts-max-entries=32768");
    assertThat(exporter.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("BPF", "PERFMON", "SYSLOG", "SYS_RESOURCE");
    // Untouched: every node, whatever its taints.
    assertThat(pod.getTolerations()).extracting("operator").containsExactly("Exists");
  }

  @Test
  void another_release_name_prefixes_every_name_and_the_alerts_still_find_its_job() {
    Deploy.Rendered rendered = new Deploy.Rendered(Deploy.parse(Chart.template("capex", Map.of())));
    assertThat(rendered.objects())
        .extracting(o -> o.getMetadata().getName())
        .allMatch(name -> name.startsWith("capex-capability-exporter"));
    // The ServiceMonitor's job is the Service's name; the alerts select
    // job=~".*capability-exporter.*".
    assertThat(rendered.custom("ServiceMonitor").get(0).getMetadata().getName())
        .matches(".*capability-exporter.*");
  }

  @Test
  void bad_values_are_refused_naming_the_value() {
    assertThatThrownBy(() -> Chart.template(Map.of("monitor.kind", "servicemonitor")))
        .hasMessageContaining("/monitor/kind")
        .hasMessageContaining("ServiceMonitor");
    assertThatThrownBy(() -> Chart.template(Map.of("monitr.kind", "PodMonitor")))
        .hasMessageContaining("monitr");
    assertThatThrownBy(() -> Chart.template(Map.of("extraArgs[0]", "run")))
        .hasMessageContaining("/extraArgs/0");
    assertThatThrownBy(() -> Chart.template(Map.of("capabilities[0]", "CAP_BPF")))
        .hasMessageContaining("/capabilities/0");
    assertThatThrownBy(() -> Chart.template(Map.of("otlp.endpoint", "collector:4317")))
        .hasMessageContaining("/otlp/endpoint");
  }

  @Test
  void the_prometheus_rule_holds_the_groups_of_every_rule_file() throws Exception {
    List<Object> groups = new ArrayList<>();
    for (Path file : files(Deploy.ROOT.resolve("alerts"), "*.rules.yml")) {
      Map<String, Object> rules = new Yaml().load(Files.readString(file));
      groups.addAll((List<?>) rules.get("groups"));
    }
    GenericKubernetesResource rule = Chart.render(Map.of()).custom("PrometheusRule").get(0);
    assertThat(rule.<List<Object>>get("spec", "groups")).isEqualTo(groups);
  }

  @Test
  @SuppressWarnings("unchecked")
  void a_runbook_url_prefix_makes_every_runbook_a_link() {
    String prefix = "https://git.example.com/you/capability-exporter/blob/main/";
    GenericKubernetesResource rule =
        Chart.render(Map.of("prometheusRule.runbookUrlPrefix", prefix))
            .custom("PrometheusRule")
            .get(0);
    List<String> urls = new ArrayList<>();
    for (Map<String, Object> group : rule.<List<Map<String, Object>>>get("spec", "groups")) {
      for (Map<String, Object> alert : (List<Map<String, Object>>) group.get("rules")) {
        urls.add((String) ((Map<String, Object>) alert.get("annotations")).get("runbook_url"));
      }
    }
    assertThat(urls).isNotEmpty().allMatch(u -> u.matches(prefix + "alerts/runbooks/\\w+\\.md"));
  }

  @Test
  void the_dashboards_config_map_holds_every_dashboard_as_it_is() throws Exception {
    ConfigMap dashboards =
        Chart.render(Map.of()).named(ConfigMap.class, "capability-exporter-dashboards");
    assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    List<Path> files = files(Deploy.ROOT.resolve("grafana"), "*.json");
    assertThat(dashboards.getData().keySet())
        .containsExactlyInAnyOrderElementsOf(
            files.stream().map(p -> p.getFileName().toString()).toList());
    for (Path file : files) {
      assertThat(dashboards.getData().get(file.getFileName().toString()))
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void the_dashboards_config_map_fits_in_kubectl_applys_last_applied_annotation() throws Exception {
    // kubectl apply (client side) copies the object into an annotation: at most 256 KiB.
    assertThat(Files.size(Deploy.DIR.resolve("manifests/dashboards.yaml"))).isLessThan(256 * 1024);
  }

  @Test
  void without_the_operator_or_grafana_neither_their_objects() {
    Deploy.Rendered rendered =
        Chart.render(
            Map.of(
                "monitor.kind", "None",
                "prometheusRule.enabled", false,
                "dashboards.enabled", false,
                "networkPolicy.enabled", false));
    assertThat(rendered.objects())
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "DaemonSet",
            "Service");
  }

  private static List<Path> files(Path dir, String glob) throws Exception {
    List<Path> found = new ArrayList<>();
    try (var stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(found::add);
    }
    assertThat(found).isNotEmpty();
    // The order Helm's Files.Glob gives: by name, byte by byte.
    return found.stream().sorted().toList();
  }
}
