package io.capabilityexporter.attribution;

import static io.capabilityexporter.attribution.CgroupPathsTest.inode;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAttributorTest {

  static final String ID = ContainerNamingTest.ID;
  static final String OTHER = ID.replace('4', '5');

  @TempDir Path root;
  @TempDir Path dockerContainers;
  @TempDir Path noPodman;

  @BeforeEach
  void dockerKnowsOneName() throws Exception {
    Files.writeString(
        Files.createDirectory(dockerContainers.resolve(ID)).resolve("config.v2.json"),
        "{\"Name\":\"/web\"}");
  }

  private HostAttributor attributor() {
    return new HostAttributor(
        CgroupWalks.walkedOnce(root), new DockerNames(dockerContainers), new PodmanNames(noPodman));
  }

  private long cgroup(String path) throws Exception {
    return inode(Files.createDirectories(root.resolve(path)));
  }

  @Test
  void attributes_the_root_cgroup_to_the_host() throws Exception {
    assertThat(attributor().attribute(inode(root))).contains(Workload.HOST);
  }

  @Test
  void names_a_docker_container_by_its_docker_name() throws Exception {
    long id = cgroup("system.slice/docker-" + ID + ".scope");
    assertThat(attributor().attribute(id)).contains(Workload.container("web"));
  }

  @Test
  void names_a_docker_container_without_a_known_name_by_its_short_id() throws Exception {
    long id = cgroup("docker/" + OTHER);
    assertThat(attributor().attribute(id)).contains(Workload.container(OTHER.substring(0, 12)));
  }

  @Test
  void names_other_runtimes_by_short_id_even_when_docker_has_the_id() throws Exception {
    long id = cgroup("kubepods/burstable/pod" + ContainerNamingTest.UID + "/" + ID);
    assertThat(attributor().attribute(id)).contains(Workload.container(ID.substring(0, 12)));
  }

  @Test
  void names_a_podman_container_by_its_podman_name(@TempDir Path storage) throws Exception {
    Files.writeString(
        Files.createDirectory(storage.resolve("overlay-containers")).resolve("containers.json"),
        "[{\"id\":\"" + ID + "\",\"names\":[\"test\"]}]");
    // cgroupfs (libpod_parent) and systemd (machine.slice) layouts; Docker's name is not taken.
    long cgroupfs = cgroup("libpod_parent/libpod-" + ID);
    long systemd = cgroup("machine.slice/libpod-" + ID + ".scope/container");
    HostAttributor attributor =
        new HostAttributor(
            CgroupWalks.walkedOnce(root),
            new DockerNames(dockerContainers),
            new PodmanNames(storage));
    assertThat(attributor.attribute(cgroupfs)).contains(Workload.container("test"));
    assertThat(attributor.attribute(systemd)).contains(Workload.container("test"));
  }

  @Test
  void tells_the_engine_of_a_container_and_none_for_anything_else() throws Exception {
    long docker = cgroup("system.slice/docker-" + ID + ".scope");
    long podman = cgroup("machine.slice/libpod-" + OTHER + ".scope/container");
    long unit = cgroup("system.slice/sshd.service");
    long plain = cgroup("demo");
    HostAttributor attributor = attributor();
    assertThat(attributor.engine(docker)).contains(CgroupOwner.Runtime.DOCKER);
    assertThat(attributor.engine(podman)).contains(CgroupOwner.Runtime.PODMAN);
    assertThat(attributor.engine(unit)).isEmpty();
    assertThat(attributor.engine(plain)).isEmpty();
  }

  @Test
  void names_a_systemd_unit_by_unit_name() throws Exception {
    long id = cgroup("system.slice/sshd.service");
    assertThat(attributor().attribute(id)).contains(Workload.container("sshd.service"));
  }

  @Test
  void names_a_plain_cgroup_by_its_path() throws Exception {
    long id = cgroup("my-test-group");
    assertThat(attributor().attribute(id)).contains(Workload.container("/my-test-group"));
  }

  @Test
  void leaves_an_unknown_cgroup_unresolved_until_the_kernel_tells_of_it() throws Exception {
    CgroupPaths paths = CgroupWalks.walkedOnce(root);
    HostAttributor attributor =
        new HostAttributor(paths, new DockerNames(dockerContainers), new PodmanNames(noPodman));
    long id = cgroup("late");
    assertThat(attributor.attribute(id)).isEmpty();
    paths.made(id, "/late");
    assertThat(attributor.attribute(id)).contains(Workload.container("/late"));
  }

  @Test
  void still_names_a_gone_cgroup_for_its_last_fold() throws Exception {
    CgroupPaths paths = CgroupWalks.walkedOnce(root);
    HostAttributor attributor =
        new HostAttributor(paths, new DockerNames(dockerContainers), new PodmanNames(noPodman));
    paths.made(4242, "/my-test-group");
    paths.released(4242, "/my-test-group");
    assertThat(attributor.isGone(4242)).isTrue();
    assertThat(attributor.attribute(4242)).contains(Workload.container("/my-test-group"));
  }
}
