package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.capabilityexporter.attribution.CgroupOwner.Container;
import io.capabilityexporter.attribution.CgroupOwner.Plain;
import io.capabilityexporter.attribution.CgroupOwner.Runtime;
import io.capabilityexporter.attribution.CgroupOwner.SystemdUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerNamingTest {

  static final String ID = "4f6c1e2a9b3d5e7f80a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607";
  static final String OUTER = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String UID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
  static final String UID_ = UID.replace('-', '_');
  static final String STATIC_UID = "6d6b2a5e8e0f4c4bb9c1a2b3c4d5e6f7";

  static Stream<Arguments> containers() {
    return Stream.of(
        // Docker
        arguments("/system.slice/docker-" + ID + ".scope", Runtime.DOCKER, ""),
        arguments("/docker/" + ID, Runtime.DOCKER, ""),
        arguments(
            "/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" + ID + ".scope",
            Runtime.DOCKER,
            ""),
        arguments("/system.slice/docker-" + ID + ".scope/init.scope", Runtime.DOCKER, ""),
        // cri-dockerd under kubepods, systemd driver
        arguments(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID_
                + ".slice/docker-"
                + ID
                + ".scope",
            Runtime.DOCKER,
            UID),
        // containerd CRI, systemd driver (burstable, guaranteed) and cgroupfs driver
        arguments(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + UID_
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            Runtime.CONTAINERD,
            UID),
        arguments(
            "/kubepods.slice/kubepods-pod" + UID_ + ".slice/cri-containerd-" + ID + ".scope",
            Runtime.CONTAINERD,
            UID),
        arguments("/kubepods/burstable/pod" + UID + "/" + ID, Runtime.CONTAINERD, UID),
        arguments("/kubepods/besteffort/pod" + UID + "/" + ID, Runtime.CONTAINERD, UID),
        arguments("/kubepods/pod" + UID + "/" + ID, Runtime.CONTAINERD, UID),
        arguments(
            "/kubepods/burstable/pod" + STATIC_UID + "/" + ID, Runtime.CONTAINERD, STATIC_UID),
        // kind: a kubelet inside a Docker container; the inner container wins
        arguments(
            "/system.slice/docker-"
                + OUTER
                + ".scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice"
                + "/kubelet-kubepods-besteffort-pod"
                + UID_
                + ".slice/cri-containerd-"
                + ID
                + ".scope",
            Runtime.CONTAINERD,
            UID),
        // CRI-O, systemd driver (with crun's nested cgroup) and cgroupfs driver
        arguments(
            "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + UID_
                + ".slice/crio-"
                + ID
                + ".scope",
            Runtime.CRI_O,
            UID),
        arguments(
            "/kubepods.slice/kubepods-pod" + UID_ + ".slice/crio-" + ID + ".scope/container",
            Runtime.CRI_O,
            UID),
        arguments("/kubepods/burstable/pod" + UID + "/crio-" + ID, Runtime.CRI_O, UID),
        // Podman: rootful, crun subgroup, rootless, in a pod, cgroupfs
        arguments("/machine.slice/libpod-" + ID + ".scope", Runtime.PODMAN, ""),
        arguments("/machine.slice/libpod-" + ID + ".scope/container", Runtime.PODMAN, ""),
        arguments(
            "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope",
            Runtime.PODMAN,
            ""),
        arguments(
            "/machine.slice/machine-libpod_pod_" + OUTER + ".slice/libpod-" + ID + ".scope",
            Runtime.PODMAN,
            ""),
        arguments("/libpod_parent/libpod-" + ID, Runtime.PODMAN, ""),
        // nerdctl / plain containerd: systemd driver and cgroupfs /<namespace>/<id>
        arguments("/system.slice/nerdctl-" + ID + ".scope", Runtime.CONTAINERD, ""),
        arguments("/default/" + ID, Runtime.CONTAINERD, ""),
        arguments("/k8s.io/" + ID, Runtime.CONTAINERD, ""),
        // a pod directory that is not a valid uid gives no uid, but still a container
        arguments("/kubepods/burstable/podNOT-A-UID/" + ID, Runtime.CONTAINERD, ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("containers")
  void recognises_containers_of_every_runtime_and_driver(
      String path, Runtime runtime, String podUid) {
    assertThat(ContainerNaming.owner(path)).isEqualTo(new Container(runtime, ID, podUid));
  }

  static Stream<Arguments> notContainers() {
    return Stream.of(
        // conmon is the monitor, not the container
        arguments(
            "/system.slice/crio-conmon-" + ID + ".scope", unit("crio-conmon-" + ID + ".scope")),
        arguments(
            "/machine.slice/libpod-conmon-" + ID + ".scope",
            unit("libpod-conmon-" + ID + ".scope")),
        arguments(
            "/kubepods/burstable/pod" + UID + "/crio-conmon-" + ID,
            plain("/kubepods/burstable/pod" + UID + "/crio-conmon-" + ID)),
        // ids must be exactly 64 lowercase hex characters
        arguments("/system.slice/docker-4f6c1e2a9b3d.scope", unit("docker-4f6c1e2a9b3d.scope")),
        arguments("/docker/" + ID.toUpperCase(), plain("/docker/" + ID.toUpperCase())),
        arguments("/docker/" + ID + "0", plain("/docker/" + ID + "0")),
        arguments("/docker/" + ID.substring(1), plain("/docker/" + ID.substring(1))),
        arguments("/docker/" + ID.replace('f', 'g'), plain("/docker/" + ID.replace('f', 'g'))),
        // a bare id at the root is no engine's layout
        arguments("/" + ID, plain("/" + ID)),
        // malformed paths are never containers
        arguments("/../docker/" + ID, plain("/../docker/" + ID)),
        arguments("/docker/../" + ID, plain("/docker/../" + ID)),
        arguments("/docker/./" + ID, plain("/docker/./" + ID)),
        arguments("//docker/" + ID, plain("//docker/" + ID)),
        arguments("/docker/" + ID + "/", plain("/docker/" + ID + "/")),
        arguments("docker/" + ID, plain("docker/" + ID)),
        arguments("", plain("")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("notContainers")
  void does_not_take_conmon_bad_ids_or_malformed_paths_for_containers(
      String path, CgroupOwner expected) {
    assertThat(ContainerNaming.owner(path)).isEqualTo(expected);
  }

  static Stream<Arguments> hostAndUnits() {
    return Stream.of(
        arguments("/", CgroupOwner.HOST),
        arguments("/init.scope", unit("init.scope")),
        arguments("/system.slice/sshd.service", unit("sshd.service")),
        arguments("/system.slice/sshd.service/extra", unit("sshd.service")),
        arguments("/system.slice/var-lib-docker.mount", unit("var-lib-docker.mount")),
        arguments("/system.slice/docker.socket", unit("docker.socket")),
        arguments("/user.slice/user-1000.slice/session-3.scope", unit("session-3.scope")),
        arguments(
            "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice"
                + "/vte-spawn-1.scope",
            unit("vte-spawn-1.scope")),
        // a deeper slice does not beat a unit that holds processes
        arguments(
            "/user.slice/user-1000.slice/user@1000.service/app.slice", unit("user@1000.service")),
        arguments("/system.slice", unit("system.slice")),
        arguments("/kubepods.slice/kubepods-burstable.slice", unit("kubepods-burstable.slice")),
        arguments("/my-test-group", plain("/my-test-group")),
        arguments("/a/b.service.d", plain("/a/b.service.d")),
        arguments("/.slice", plain("/.slice")),
        arguments("/kubepods/burstable/pod" + UID, plain("/kubepods/burstable/pod" + UID)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("hostAndUnits")
  void names_the_host_systemd_units_and_plain_cgroups(String path, CgroupOwner expected) {
    assertThat(ContainerNaming.owner(path)).isEqualTo(expected);
  }

  @Test
  void short_id_is_the_first_twelve_characters() {
    assertThat(new Container(Runtime.DOCKER, ID, "").shortId()).isEqualTo("4f6c1e2a9b3d");
  }

  private static CgroupOwner unit(String name) {
    return new SystemdUnit(name);
  }

  private static CgroupOwner plain(String path) {
    return new Plain(path);
  }
}
