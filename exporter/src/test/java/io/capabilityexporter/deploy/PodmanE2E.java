package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capabilityexporter.testing.Command;
import io.capabilityexporter.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The image under Podman (the run's own store, where it was built), with the DaemonSet's
 * capabilities. Podman's default seccomp profile allows bpf() only with CAP_SYS_ADMIN: here the
 * least change that lets CAP_BPF do, that profile with bpf() allowed to CAP_BPF.
 */
@KernelTest
class PodmanE2E extends PlainHost {
  private static final Path DEFAULT_PROFILE = Path.of("/usr/share/containers/seccomp.json");
  private PodmanStore podman;

  @Override
  ContainerEngine engine() {
    return podman;
  }

  @Override
  void setUp() {
    podman = new PodmanStore(property("e2e.podman"));
    podman.runIn(engineCgroup);
  }

  @Override
  boolean startUpMakesNoUnexpectedCheck() {
    return true;
  }

  @Override
  boolean cliMountsForAnExec() {
    return true; // podman exec mounts, as root on the host: the host's SYS_ADMIN, its own
  }

  @Override
  void tearDown() {}

  private List<String> capabilities() throws Exception {
    List<String> options = new ArrayList<>(List.of("--cap-drop", "ALL"));
    for (String capability :
        Deploy.base().exporter().getSecurityContext().getCapabilities().getAdd()) {
      options.addAll(List.of("--cap-add", capability));
    }
    return options;
  }

  @Override
  List<String> privileges() throws Exception {
    List<String> options = capabilities();
    options.addAll(List.of("--security-opt", "seccomp=" + bpfProfile()));
    return options;
  }

  /**
   * Podman's default profile, bpf() taken out of the rule that refuses it without CAP_SYS_ADMIN and
   * allowed to CAP_BPF.
   */
  private Path bpfProfile() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode profile = (ObjectNode) json.readTree(DEFAULT_PROFILE.toFile());
    ArrayNode syscalls = (ArrayNode) profile.get("syscalls");
    boolean refused = false;
    for (var rule : syscalls) {
      if (rule.path("action").asText().equals("SCMP_ACT_ERRNO")) {
        ArrayNode names = (ArrayNode) rule.get("names");
        for (int i = names.size() - 1; i >= 0; i--) {
          if (names.get(i).asText().equals("bpf")) {
            names.remove(i);
            refused = true;
          }
        }
      }
    }
    assertThat(refused).as("podman's default profile refuses bpf() without SYS_ADMIN").isTrue();
    ObjectNode allow = syscalls.addObject();
    allow.putArray("names").add("bpf");
    allow.put("action", "SCMP_ACT_ALLOW");
    allow.putObject("includes").putArray("caps").add("CAP_BPF");
    return Files.writeString(
        work.resolve("podman-seccomp-bpf.json"), json.writeValueAsString(profile));
  }

  @Override
  List<String> names() {
    return List.of(
        "-v",
        podman.root() + "/overlay-containers:/var/lib/containers/storage/overlay-containers:ro");
  }

  @Override
  List<String> everyContainer() {
    return List.of(
        "--cgroup-parent",
        "/" + work.getFileName() + "/libpod_parent",
        // Podman raises nofile and nproc above the host's hard limits by default, which needs
        // CAP_SYS_RESOURCE: root lacks it in some sandboxes (this test's VM). Modest limits
        // work everywhere.
        "--ulimit",
        "nofile=4096:4096",
        "--ulimit",
        "nproc=4096:4096");
  }

  @Test
  @Order(5)
  void under_podmans_default_seccomp_profile_bpf_is_refused() throws Exception {
    Command.Result result = runToEnd(capabilities());
    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("Operation not permitted")
        .contains("runs under a seccomp filter")
        .contains("--security-opt seccomp=unconfined");
  }
}
