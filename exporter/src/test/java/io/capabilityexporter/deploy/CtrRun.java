package io.capabilityexporter.deploy;

import io.capabilityexporter.capabilities.Capability;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rendered DaemonSet's exporter container as {@code ctr run} options: what a kubelet asks
 * containerd for, read from the manifest and never restated here. What this cannot express fails,
 * so that a change to the DaemonSet is carried into the end-to-end run or noticed, never dropped.
 *
 * <p>Where this node stands in for a kubelet's: the kubeconfig of the tests' API server in place of
 * the service account's in-cluster config; the host's network (a pod network needs CNI and a
 * bridge), with the listen address on loopback; DirectoryOrCreate host paths, ConfigMaps and
 * emptyDirs in the stand-in node's directory, so the host's /var/lib is left as it was.
 */
final class CtrRun {
  /** Where the kubeconfig is mounted in the container. */
  static final String KUBECONFIG_DIR = "/run/capability-exporter-e2e";

  private CtrRun() {}

  /**
   * @param name the node's name (spec.nodeName)
   * @param dir the node's own files: volumes and the like
   * @param runtimePid a process of the container runtime, whose namespaces are the host's
   * @param listenAddress the exporter's --web.listen-address here (a loopback one)
   * @param kubeconfig how the exporter finds the API server
   */
  record Node(String name, Path dir, long runtimePid, String listenAddress, Path kubeconfig) {}

  /** The options before the image, and the process's arguments after the container id. */
  record Run(List<String> options, List<String> args) {}

  /**
   * @param entrypoint the image's ENTRYPOINT, which Kubernetes keeps when a container gives only
   *     args (ctr replaces the whole command line)
   */
  static Run exporter(Deploy.Rendered base, List<String> entrypoint, Node node) throws IOException {
    PodSpec pod = base.daemonSet().getSpec().getTemplate().getSpec();
    Container container = base.exporter();
    List<String> options = new ArrayList<>();
    security(pod, container.getSecurityContext(), options);
    namespaces(pod, node, options);
    for (VolumeMount mount : container.getVolumeMounts()) {
      options.addAll(mount(base, volume(pod, mount.getName()), mount, node));
    }
    environment(container.getEnv(), node, options);
    resources(container, options);
    return new Run(options, args(container, entrypoint, node));
  }

  private static void security(PodSpec pod, SecurityContext security, List<String> options) {
    require(security != null, "a securityContext");
    require(!Boolean.TRUE.equals(security.getPrivileged()), "an unprivileged container");
    require(
        Objects.requireNonNullElse(security.getRunAsUser(), 0L) == 0
            && Objects.requireNonNullElse(security.getRunAsGroup(), 0L) == 0,
        "uid and gid 0 (ctr 1.6 has no --user; the image runs as root)");
    List<String> add = security.getCapabilities().getAdd();
    List<String> drop = security.getCapabilities().getDrop();
    if (drop.contains("ALL")) {
      // ctr knows no "ALL": every capability the kernel has that is not added back.
      for (int number = 0; number <= Capability.last(); number++) {
        String name = Capability.name(number);
        if (!add.contains(name)) {
          options.addAll(List.of("--cap-drop", "CAP_" + name));
        }
      }
    } else {
      drop.forEach(name -> options.addAll(List.of("--cap-drop", "CAP_" + name)));
    }
    add.forEach(name -> options.addAll(List.of("--cap-add", "CAP_" + name)));
    // No new privileges is ctr's default; Kubernetes' default is to allow them.
    if (!Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
      options.add("--allow-new-privs");
    }
    if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
      options.add("--read-only");
    }
    SeccompProfile seccomp = security.getSeccompProfile();
    if (seccomp == null && pod.getSecurityContext() != null) {
      seccomp = pod.getSecurityContext().getSeccompProfile();
    }
    String type = seccomp == null ? "Unconfined" : seccomp.getType();
    switch (type) {
      // containerd's default profile, the one CRI gives RuntimeDefault.
      case "RuntimeDefault" -> options.add("--seccomp");
      case "Unconfined" -> {}
      default ->
          throw new AssertionError("seccomp profile " + type + " has no ctr equivalent here");
    }
  }

  private static void namespaces(PodSpec pod, Node node, List<String> options) {
    require(!Boolean.TRUE.equals(pod.getHostIPC()), "no hostIPC");
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      // CRI leaves the pid namespace out of the spec: the runtime's own, the host's.
      options.addAll(List.of("--with-ns", "pid:/proc/" + node.runtimePid() + "/ns/pid"));
    }
    options.add("--net-host");
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static List<String> mount(
      Deploy.Rendered base, Volume volume, VolumeMount mount, Node node) throws IOException {
    require(mount.getSubPath() == null && mount.getSubPathExpr() == null, "no subPath");
    require(mount.getMountPropagation() == null, "no mount propagation");
    Path source;
    if (volume.getHostPath() != null) {
      String type = Objects.requireNonNullElse(volume.getHostPath().getType(), "");
      Path path = Path.of(volume.getHostPath().getPath());
      switch (type) {
        case "Directory" -> {
          require(Files.isDirectory(path), "host directory " + path);
          source = path;
        }
        case "DirectoryOrCreate" ->
            source = Files.createDirectories(node.dir().resolve("hostPath" + path));
        default -> throw new AssertionError("hostPath type " + type + " is not handled here");
      }
    } else if (volume.getConfigMap() != null) {
      require(volume.getConfigMap().getItems().isEmpty(), "a ConfigMap without items");
      ConfigMap configMap = base.named(ConfigMap.class, volume.getConfigMap().getName());
      source = Files.createDirectories(node.dir().resolve("configMap/" + volume.getName()));
      for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
        Files.writeString(source.resolve(file.getKey()), file.getValue());
      }
    } else if (volume.getEmptyDir() != null) {
      require(volume.getEmptyDir().getMedium() == null, "an emptyDir on disk");
      source = Files.createDirectories(node.dir().resolve("emptyDir/" + volume.getName()));
    } else {
      throw new AssertionError("volume " + volume.getName() + " is of a kind not handled here");
    }
    boolean readOnly = Boolean.TRUE.equals(mount.getReadOnly());
    // rbind, as CRI mounts host paths: the cgroup2 mount below /sys/fs/cgroup comes along.
    return bind(source, mount.getMountPath(), readOnly);
  }

  private static List<String> bind(Path source, String destination, boolean readOnly) {
    return List.of(
        "--mount",
        "type=bind,src="
            + source
            + ",dst="
            + destination
            + ",options=rbind:"
            + (readOnly ? "ro" : "rw"));
  }

  private static void environment(List<EnvVar> env, Node node, List<String> options) {
    for (EnvVar variable : env) {
      String value;
      if (variable.getValueFrom() == null) {
        value = variable.getValue();
      } else {
        require(
            variable.getValueFrom().getFieldRef() != null
                && variable.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName"),
            variable.getName() + " from spec.nodeName or a value");
        value = node.name();
      }
      options.addAll(List.of("--env", variable.getName() + "=" + value));
    }
    options.addAll(
        List.of("--env", "KUBECONFIG=" + KUBECONFIG_DIR + "/" + node.kubeconfig().getFileName()));
    options.addAll(bind(node.kubeconfig().getParent(), KUBECONFIG_DIR, true));
  }

  /** Limits as the kubelet sets them: memory in bytes, CPU as a CFS quota per 100 ms period. */
  private static void resources(Container container, List<String> options) {
    Map<String, Quantity> limits = container.getResources().getLimits();
    if (limits.containsKey("memory")) {
      BigDecimal bytes = Quantity.getAmountInBytes(limits.get("memory"));
      options.addAll(List.of("--memory-limit", bytes.toBigInteger().toString()));
    }
    if (limits.containsKey("cpu")) {
      BigDecimal cpus = Quantity.getAmountInBytes(limits.get("cpu"));
      long quota = cpus.multiply(BigDecimal.valueOf(100_000)).longValueExact();
      options.addAll(List.of("--cpu-period", "100000", "--cpu-quota", Long.toString(quota)));
    }
  }

  /**
   * The image's ENTRYPOINT (or the container's command) and the container's args, the listen
   * address the node's.
   */
  private static List<String> args(Container container, List<String> entrypoint, Node node) {
    List<String> args =
        new ArrayList<>(container.getCommand().isEmpty() ? entrypoint : container.getCommand());
    boolean listen = false;
    for (String arg : container.getArgs()) {
      if (arg.startsWith("--web.listen-address=")) {
        arg = "--web.listen-address=" + node.listenAddress();
        listen = true;
      }
      args.add(arg);
    }
    require(listen, "--web.listen-address in the args");
    return args;
  }

  private static void require(boolean holds, String what) {
    if (!holds) {
      throw new AssertionError("the end-to-end run expects " + what + " in the DaemonSet");
    }
  }
}
