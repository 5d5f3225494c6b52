package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The DaemonSet gives the exporter what it reads, and nothing it does not need. */
class DaemonSetTest {
  /** What the exporter needs on Linux 5.11+, as DaemonSetOnThisKernelIT shows. */
  static final List<String> CAPABILITIES = List.of("BPF", "PERFMON", "SYSLOG");

  private static Deploy.Rendered base;
  private static PodSpec pod;
  private static Container exporter;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
    pod = base.daemonSet().getSpec().getTemplate().getSpec();
    exporter = base.exporter();
  }

  private static VolumeMount mountAt(String path) {
    List<VolumeMount> mounts =
        exporter.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).toList();
    assertThat(mounts).as("volume mounted at " + path).hasSize(1);
    return mounts.get(0);
  }

  private static Volume volume(String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @Test
  void watches_the_pods_of_its_own_node_named_by_the_downward_api() {
    EnvVar node =
        exporter.getEnv().stream()
            .filter(e -> e.getName().equals("NODE_NAME"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no NODE_NAME"));
    assertThat(node.getValue()).isNull();
    assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    // The API server through the service account's in-cluster config, not a kubeconfig.
    assertThat(exporter.getEnv()).extracting(EnvVar::getName).doesNotContain("KUBECONFIG");
    assertThat(pod.getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
    assertThat(pod.getServiceAccountName())
        .isEqualTo(base.one(ServiceAccount.class).getMetadata().getName());
  }

  @Test
  void runs_the_exporter_on_port_9741_with_the_policy_file_and_profiles_on_the_host_path() {
    assertThat(exporter.getArgs())
        .containsExactly(
            "run",
            "--web.listen-address=:9741",
            "--config=/etc/capability-exporter/policy.yaml",
            "--profiles.file=/var/lib/capability-exporter/profiles.json");
    assertThat(exporter.getVolumeMounts())
        .anySatisfy(
            mount -> assertThat(mount.getMountPath()).isEqualTo("/var/lib/capability-exporter"));
    assertThat(exporter.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getName()).isEqualTo("metrics");
              assertThat(port.getContainerPort()).isEqualTo(9741);
            });

    VolumeMount policyMount = mountAt("/etc/capability-exporter");
    assertThat(policyMount.getReadOnly()).isTrue();
    Volume policy = volume(policyMount.getName());
    assertThat(policy.getConfigMap().getName()).isEqualTo("capability-exporter-policy");
    assertThat(policy.getConfigMap().getOptional())
        .as("--config needs the file: the pod must wait for the ConfigMap")
        .isNotEqualTo(Boolean.TRUE);
    String file =
        base.named(ConfigMap.class, "capability-exporter-policy").getData().get("policy.yaml");
    assertThat((Map<?, ?>) new Yaml().load(file)).isEqualTo(Map.of("rules", List.of()));
    assertThat(file).contains("docs/configuration.md, \"The policy file\"");
  }

  @Test
  void probes_ask_healthz_and_readyz_on_the_metrics_port() {
    HTTPGetAction liveness = exporter.getLivenessProbe().getHttpGet();
    HTTPGetAction readiness = exporter.getReadinessProbe().getHttpGet();
    assertThat(liveness.getPath()).isEqualTo("/healthz");
    assertThat(readiness.getPath()).isEqualTo("/readyz");
    for (HTTPGetAction probe : List.of(liveness, readiness)) {
      assertThat(probe.getPort().getStrVal()).isEqualTo("metrics");
    }
  }

  @Test
  void mounts_the_host_paths_the_exporter_reads() {
    // The cgroup v2 tree (found through the container's own /proc/mounts: so at the usual place)
    // and the kernel's BTF, read-only; a directory to keep data in.
    VolumeMount cgroup = mountAt("/sys/fs/cgroup");
    assertThat(cgroup.getReadOnly()).isTrue();
    assertThat(volume(cgroup.getName()).getHostPath().getPath()).isEqualTo("/sys/fs/cgroup");
    VolumeMount btf = mountAt("/sys/kernel/btf");
    assertThat(btf.getReadOnly()).isTrue();
    assertThat(volume(btf.getName()).getHostPath().getPath()).isEqualTo("/sys/kernel/btf");
    VolumeMount data = mountAt("/var/lib/capability-exporter");
    assertThat(data.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    assertThat(volume(data.getName()).getHostPath().getPath())
        .isEqualTo("/var/lib/capability-exporter");
    assertThat(volume(data.getName()).getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    // The JVM writes to /tmp, and the root file system is read-only.
    assertThat(volume(mountAt("/tmp").getName()).getEmptyDir()).isNotNull();
    assertThat(pod.getHostPID()).isTrue();
    // Every volume is mounted: no host path is handed over for nothing.
    assertThat(pod.getVolumes())
        .extracting(Volume::getName)
        .containsExactlyInAnyOrderElementsOf(
            exporter.getVolumeMounts().stream().map(VolumeMount::getName).toList());
  }

  @Test
  void is_not_privileged_and_adds_only_the_capabilities_it_needs() {
    SecurityContext security = exporter.getSecurityContext();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsUser()).isZero();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd())
        .containsExactlyInAnyOrderElementsOf(CAPABILITIES);
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext() == null || pod.getSecurityContext().getSysctls() == null)
        .isTrue();
  }

  @Test
  void runs_on_every_node_whatever_its_taints() {
    assertThat(pod.getTolerations())
        .anySatisfy(
            t -> {
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getKey()).isNull();
              assertThat(t.getEffect()).isNull();
            });
  }

  @Test
  void has_room_for_the_heap_the_launcher_allows() throws Exception {
    Map<String, Quantity> requests = exporter.getResources().getRequests();
    Map<String, Quantity> limits = exporter.getResources().getLimits();
    assertThat(requests).containsEntry("memory", new Quantity("150Mi"));
    assertThat(requests).containsEntry("cpu", new Quantity("50m"));
    assertThat(limits).containsEntry("memory", new Quantity("256Mi"));
    assertThat(limits).containsEntry("cpu", new Quantity("500m"));
    Matcher heap =
        Pattern.compile("-Xmx(\\d+)m")
            .matcher(Files.readString(Deploy.ROOT.resolve("bin/capability-exporter")));
    assertThat(heap.find()).as("the launcher's -Xmx").isTrue();
    long heapBytes = Long.parseLong(heap.group(1)) << 20;
    // Heap, metaspace, thread stacks, JNA, Vert.x buffers, BPF maps: 128 MiB of heap measured
    // 112-134 MiB RSS with 10,000 series (bench/RESULTS.md).
    assertThat(Quantity.getAmountInBytes(limits.get("memory")).longValue())
        .isGreaterThanOrEqualTo(heapBytes * 2);
  }
}
