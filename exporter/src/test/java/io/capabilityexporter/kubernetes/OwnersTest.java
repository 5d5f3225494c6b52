package io.capabilityexporter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Owner;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class OwnersTest {

  private static Pod ownedBy(String kind, String name, String templateHash) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName(name + "-x7k2p")
            .addNewOwnerReference()
            .withKind(kind)
            .withName(name)
            .withController(true)
            .endOwnerReference()
            .endMetadata();
    if (templateHash != null) {
      pod.editMetadata().addToLabels("pod-template-hash", templateHash).endMetadata();
    }
    return pod.build();
  }

  @Test
  void a_replicaset_named_after_its_template_hash_belongs_to_its_deployment() {
    assertThat(Owners.of(ownedBy("ReplicaSet", "cart-6d4cf56db6", "6d4cf56db6")))
        .isEqualTo(new Owner("Deployment", "cart"));
  }

  @Test
  void a_replicaset_without_the_hash_is_its_own_workload() {
    assertThat(Owners.of(ownedBy("ReplicaSet", "legacy-rs", null)))
        .isEqualTo(new Owner("ReplicaSet", "legacy-rs"));
  }

  @Test
  void a_job_named_by_a_cronjob_belongs_to_the_cronjob() {
    assertThat(Owners.of(ownedBy("Job", "nightly-report-29391840", null)))
        .isEqualTo(new Owner("CronJob", "nightly-report"));
    assertThat(Owners.of(ownedBy("Job", "migrate-v2", null)))
        .isEqualTo(new Owner("Job", "migrate-v2"));
  }

  @Test
  void statefulsets_and_daemonsets_own_their_pods_directly() {
    assertThat(Owners.of(ownedBy("StatefulSet", "db", null)))
        .isEqualTo(new Owner("StatefulSet", "db"));
    assertThat(Owners.of(ownedBy("DaemonSet", "cilium", null)))
        .isEqualTo(new Owner("DaemonSet", "cilium"));
  }

  @Test
  void a_bare_pod_is_its_own_workload() {
    Pod bare = new PodBuilder().withNewMetadata().withName("debug").endMetadata().build();
    assertThat(Owners.of(bare)).isEqualTo(new Owner("Pod", "debug"));
  }

  @Test
  void only_the_controller_reference_counts() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web-0")
            .addNewOwnerReference()
            .withKind("ConfigMap")
            .withName("not-a-controller")
            .endOwnerReference()
            .addNewOwnerReference()
            .withKind("StatefulSet")
            .withName("web")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(Owners.of(pod)).isEqualTo(new Owner("StatefulSet", "web"));
  }
}
