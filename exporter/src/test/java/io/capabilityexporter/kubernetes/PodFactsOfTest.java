package io.capabilityexporter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Owner;
import io.capabilityexporter.domain.PodFacts;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodFactsOfTest {

  @Test
  void every_kind_of_container_says_its_image_and_what_its_security_context_grants() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("kube-system")
            .withName("cni-abc")
            .withUid("0d5c0f3e-8a4b-4c1e-9f2a-6b7c8d9e0f1a")
            .addNewOwnerReference()
            .withKind("DaemonSet")
            .withName("cni")
            .withController(true)
            .endOwnerReference()
            .addToLabels("k8s-app", "cni")
            .addToAnnotations("capability-exporter.io/expected", "SYS_ADMIN")
            .endMetadata()
            .withNewSpec()
            .addNewInitContainer()
            .withName("install")
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endInitContainer()
            .addNewContainer()
            .withName("agent")
            .withImage("registry.example/cni/agent:1.16")
            .withNewSecurityContext()
            .withNewCapabilities()
            .addToAdd("NET_ADMIN", "CAP_net_raw")
            .addToDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .addNewContainer()
            .withName("plain")
            .endContainer()
            .addNewEphemeralContainer()
            .withName("debugger")
            .withNewSecurityContext()
            .withNewCapabilities()
            .addToAdd("SYS_PTRACE")
            .endCapabilities()
            .endSecurityContext()
            .endEphemeralContainer()
            .endSpec()
            .build();

    PodFacts facts = PodFactsOf.of(pod);

    assertThat(facts.uid()).isEqualTo("0d5c0f3e-8a4b-4c1e-9f2a-6b7c8d9e0f1a");
    assertThat(facts.owner()).isEqualTo(new Owner("DaemonSet", "cni"));
    assertThat(facts.labels()).containsEntry("k8s-app", "cni");
    assertThat(facts.annotations()).containsEntry("capability-exporter.io/expected", "SYS_ADMIN");
    assertThat(facts.containers())
        .containsEntry("install", new PodFacts.Container("", new ContainerGrants(Set.of(), true)))
        .containsEntry(
            "agent",
            new PodFacts.Container(
                "registry.example/cni/agent:1.16",
                new ContainerGrants(Set.of("NET_ADMIN", "NET_RAW"), false)))
        .containsEntry("plain", new PodFacts.Container("", ContainerGrants.NONE))
        .containsEntry(
            "debugger",
            new PodFacts.Container("", new ContainerGrants(Set.of("SYS_PTRACE"), false)));
    assertThat(facts.ownUserNamespace()).isFalse();
  }
}
