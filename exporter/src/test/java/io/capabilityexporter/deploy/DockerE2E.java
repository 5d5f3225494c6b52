package io.capabilityexporter.deploy;

import io.capabilityexporter.testing.KernelTest;
import java.util.ArrayList;
import java.util.List;

/**
 * The image under Docker (Debian's docker.io, a daemon of the test's own), with the privileges that
 * Docker version can give: Docker before 23.0 knows no CAP_BPF or CAP_PERFMON (--cap-add BPF is
 * refused) and its default seccomp profile allows bpf() only with CAP_SYS_ADMIN, so SYS_ADMIN
 * stands in for both; from 23.0 on, the DaemonSet's capabilities.
 */
@KernelTest
class DockerE2E extends PlainHost {
  private Dockerd docker;

  @Override
  ContainerEngine engine() {
    return docker;
  }

  @Override
  void setUp() throws Exception {
    docker =
        Dockerd.start(work.resolve("docker"), "/" + work.getFileName() + "/docker", engineCgroup);
    docker.ok("load", "--input", property("e2e.images"));
  }

  @Override
  void tearDown() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  private int major() throws Exception {
    return Integer.parseInt(
        docker.ok("version", "--format", "{{.Server.Version}}").split("\\.")[0]);
  }

  @Override
  List<String> privileges() throws Exception {
    List<String> added =
        major() >= 23
            ? Deploy.base().exporter().getSecurityContext().getCapabilities().getAdd()
            : List.of("SYS_ADMIN", "SYSLOG");
    List<String> options = new ArrayList<>(List.of("--cap-drop", "ALL"));
    added.forEach(capability -> options.addAll(List.of("--cap-add", capability)));
    return options;
  }

  @Override
  boolean startUpMakesNoUnexpectedCheck() throws Exception {
    return major() >= 23; // before, bpf() asks CAP_BPF, denied, then the SYS_ADMIN standing in
  }

  @Override
  boolean cliMountsForAnExec() {
    return false;
  }

  @Override
  List<String> names() {
    return List.of("-v", docker.containers() + ":/var/lib/docker/containers:ro");
  }

  @Override
  List<String> everyContainer() {
    return List.of(); // the daemon's --cgroup-parent puts them under the test's cgroup
  }
}
