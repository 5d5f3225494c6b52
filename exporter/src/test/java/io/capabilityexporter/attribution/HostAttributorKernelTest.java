package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs against the kernel's own cgroup2 hierarchy: needs root, as on the project's VM and CI. */
@KernelTest
class HostAttributorKernelTest {
  private static Path root() {
    return Cgroup2Mount.find(Path.of("/proc/mounts")).orElseThrow();
  }

  /** As the exporter names them, without the kernel's changes: one walk. */
  private static HostAttributor onePass(Path root) {
    return new HostAttributor(CgroupWalks.walkedOnce(root), new DockerNames(), new PodmanNames());
  }

  @Test
  void attributes_the_real_cgroups_that_exist_when_it_walks_the_tree() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("capexp-test")) {
      HostAttributor attributor = onePass(root());
      assertThat(attributor.attribute(cgroup.id())).contains(Workload.container(cgroup.label()));
      assertThat(attributor.isGone(cgroup.id())).isFalse();
    }
  }

  @Test
  void the_walk_finds_nested_cgroups_though_it_does_not_list_leaves() throws Exception {
    try (TestCgroup leaf = TestCgroup.nested("capexp-nest", "kubepods/besteffort/pod1/c1")) {
      assertThat(Files.getAttribute(leaf.directory(), "unix:nlink"))
          .as("kernfs: a leaf's link count is 2, what the walk relies on")
          .isEqualTo(2);
      HostAttributor attributor = onePass(root());
      assertThat(attributor.attribute(leaf.id()))
          .contains(Workload.container("/" + root().relativize(leaf.directory())));
    }
  }

  @Test
  void finds_this_hosts_cgroup2_mount_and_the_root_cgroup() {
    HostAttributor attributor = onePass(HostAttributor.cgroup2Root());
    assertThat(attributor.attribute(1)).contains(Workload.HOST); // the root cgroup's id is 1
  }
}
