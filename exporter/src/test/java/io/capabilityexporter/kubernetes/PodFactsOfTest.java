package io.capabilityexporter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.expected.PodFacts;
import io.capabilityexporter.expected.PodFacts.ContainerGrants;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodFactsOfTest {

  @Test
  void every_kind_of_container_says_what_its_security_context_grants() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("kube-system")
            .withName("cni-abc")
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

    assertThat(facts.labels()).containsEntry("k8s-app", "cni");
    assertThat(facts.annotations()).containsEntry("capability-exporter.io/expected", "SYS_ADMIN");
    assertThat(facts.containers())
        .containsEntry("install", new ContainerGrants(Set.of(), true))
        .containsEntry("agent", new ContainerGrants(Set.of("NET_ADMIN", "NET_RAW"), false))
        .containsEntry("plain", ContainerGrants.NONE)
        .containsEntry("debugger", new ContainerGrants(Set.of("SYS_PTRACE"), false));
  }
}
