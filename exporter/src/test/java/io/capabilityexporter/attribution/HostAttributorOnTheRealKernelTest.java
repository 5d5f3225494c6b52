package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs against the kernel's own cgroup2 hierarchy: needs root, as on the project's VM and CI. */
class HostAttributorOnTheRealKernelTest {

  private Path cgroup;

  @AfterEach
  void removeTheCgroup() throws Exception {
    if (cgroup != null) {
      Files.deleteIfExists(cgroup); // rmdir; a cgroup with no tasks can always be removed
    }
  }

  @Test
  void attributes_the_real_cgroups_that_exist_when_it_walks_the_tree() throws Exception {
    assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "creating cgroups needs root");
    Path root = Cgroup2Mount.find(Path.of("/proc/mounts")).orElseThrow();
    String name = "capexp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    cgroup = Files.createDirectory(root.resolve(name));
    assertThat(cgroup.resolve("cgroup.procs")).as("the kernel made a cgroup").exists();
    long id = (Long) Files.getAttribute(cgroup, "unix:ino");

    HostAttributor attributor = new HostAttributor(root);
    assertThat(attributor.attribute(id)).contains(Workload.container("/" + name));
    assertThat(attributor.isGone(id)).isFalse();
  }

  @Test
  void the_walk_finds_nested_cgroups_and_leaves_the_leaves_unlisted() throws Exception {
    assumeTrue(
        ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
        "creating cgroups needs root");
    Path root = Cgroup2Mount.find(Path.of("/proc/mounts")).orElseThrow();
    String name = "capexp-nest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path leaf = Files.createDirectories(root.resolve(name + "/kubepods/besteffort/pod1/c1"));
    try {
      assertThat(Files.getAttribute(leaf, "unix:nlink"))
          .as("kernfs: 2 + subdirectories")
          .isEqualTo(2);
      HostAttributor attributor = new HostAttributor(root);
      long id = (Long) Files.getAttribute(leaf, "unix:ino");
      assertThat(attributor.attribute(id))
          .contains(Workload.container("/" + name + "/kubepods/besteffort/pod1/c1"));
    } finally {
      for (Path dir = leaf; dir.startsWith(root.resolve(name)); dir = dir.getParent()) {
        Files.deleteIfExists(dir);
      }
    }
  }

  @Test
  void finds_this_hosts_cgroup2_mount_and_the_root_cgroup() {
    HostAttributor attributor = HostAttributor.forThisHost();
    assertThat(attributor.attribute(1)).contains(Workload.HOST); // the root cgroup's id is 1
  }
}
