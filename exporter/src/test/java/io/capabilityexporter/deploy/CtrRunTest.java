package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DaemonSet as ContainerdE2E runs it (`make e2e`): every part of its exporter container is
 * carried into {@code ctr run}'s options, so a change to the manifest the end-to-end run cannot
 * express fails here, in `make test`, first.
 */
class CtrRunTest {
  private static Deploy.Rendered base;
  @TempDir Path dir;

  @BeforeAll
  static void render() throws Exception {
    base = Deploy.base();
  }

  private CtrRun.Run run() throws Exception {
    Path kubeconfig =
        Files.writeString(Files.createDirectories(dir.resolve("k")).resolve("kc"), "");
    return CtrRun.exporter(
        base, List.of("/entrypoint"), new CtrRun.Node("n1", dir, 42, "127.0.0.1:1", kubeconfig));
  }

  /** The values of each occurrence of {@code option} in {@code options}. */
  private static List<String> values(List<String> options, String option) {
    List<String> values = new java.util.ArrayList<>();
    for (int i = 0; i < options.size() - 1; i++) {
      if (options.get(i).equals(option)) {
        values.add(options.get(i + 1));
      }
    }
    return values;
  }

  @Test
  void only_the_added_capabilities_under_the_runtimes_default_seccomp_profile() throws Exception {
    List<String> options = run().options();
    assertThat(values(options, "--cap-add"))
        .containsExactlyInAnyOrder("CAP_BPF", "CAP_PERFMON", "CAP_SYSLOG");
    // "drop: ALL" as ctr can say it: every capability but those.
    assertThat(values(options, "--cap-drop"))
        .contains("CAP_SYS_ADMIN", "CAP_CHOWN", "CAP_NET_RAW", "CAP_CHECKPOINT_RESTORE")
        .doesNotContain("CAP_BPF", "CAP_PERFMON", "CAP_SYSLOG");
    assertThat(options).contains("--seccomp", "--read-only").doesNotContain("--allow-new-privs");
    assertThat(values(options, "--with-ns")).containsExactly("pid:/proc/42/ns/pid");
  }

  @Test
  void every_volume_is_mounted_where_the_daemonset_mounts_it() throws Exception {
    assertThat(values(run().options(), "--mount"))
        .containsExactlyInAnyOrder(
            "type=bind,src=/sys/fs/cgroup,dst=/sys/fs/cgroup,options=rbind:ro",
            "type=bind,src=/sys/kernel/btf,dst=/sys/kernel/btf,options=rbind:ro",
            "type=bind,src="
                + dir.resolve("hostPath/var/lib/capability-exporter")
                + ",dst=/var/lib/capability-exporter,options=rbind:rw",
            "type=bind,src="
                + dir.resolve("configMap/policy")
                + ",dst=/etc/capability-exporter,options=rbind:ro",
            "type=bind,src=" + dir.resolve("emptyDir/tmp") + ",dst=/tmp,options=rbind:rw",
            "type=bind,src="
                + dir.resolve("k")
                + ",dst="
                + CtrRun.KUBECONFIG_DIR
                + ",options=rbind:ro");
    // The ConfigMap's file, where --config reads it.
    assertThat(dir.resolve("configMap/policy/policy.yaml")).content().contains("rules: []");
  }

  @Test
  void the_node_name_limits_and_args_as_the_kubelet_gives_them() throws Exception {
    CtrRun.Run run = run();
    assertThat(values(run.options(), "--env"))
        .contains("NODE_NAME=n1", "KUBECONFIG=/run/capability-exporter-e2e/kc");
    assertThat(values(run.options(), "--memory-limit")).containsExactly("268435456");
    assertThat(values(run.options(), "--cpu-quota")).containsExactly("50000");
    assertThat(run.args())
        .containsExactly(
            "/entrypoint",
            "run",
            "--web.listen-address=127.0.0.1:1",
            "--config=/etc/capability-exporter/policy.yaml",
            "--profiles.file=/var/lib/capability-exporter/profiles.json");
    assertThat(KubeletCgroups.qos(base.exporter())).isEqualTo("burstable");
  }
}
