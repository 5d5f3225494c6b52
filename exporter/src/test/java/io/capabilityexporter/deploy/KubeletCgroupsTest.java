package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.attribution.CgroupOwner;
import io.capabilityexporter.attribution.ContainerNaming;
import io.capabilityexporter.testing.TestPods;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The end-to-end run's cgroups are ones the exporter reads as a pod's container. */
class KubeletCgroupsTest {
  private final KubeletCgroups cgroups = new KubeletCgroups("capexp-e2e.x1");
  private final String uid = UUID.randomUUID().toString();
  private final String id = TestPods.containerId();

  @Test
  void under_either_driver_the_path_names_the_pod_and_the_container() {
    for (String path :
        new String[] {
          cgroups.cgroupfs("besteffort", uid, id),
          cgroups.systemd("besteffort", uid, id),
          cgroups.cgroupfs("guaranteed", uid, id),
          cgroups.systemd("burstable", uid, id)
        }) {
      assertThat(ContainerNaming.owner(path))
          .as(path)
          .isInstanceOfSatisfying(
              CgroupOwner.Container.class,
              container -> {
                assertThat(container.podUid()).isEqualTo(uid);
                assertThat(container.id()).isEqualTo(id);
              });
    }
  }

  @Test
  void as_a_kubelet_names_them() {
    assertThat(cgroups.cgroupfs("besteffort", uid, id))
        .isEqualTo("/capexp-e2e.x1/kubepods/besteffort/pod" + uid + "/" + id);
    assertThat(cgroups.systemd("burstable", uid, id))
        .isEqualTo(
            "/capexp-e2e.x1/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
                + uid.replace('-', '_')
                + ".slice/cri-containerd-"
                + id
                + ".scope");
  }
}
