package io.capabilityexporter.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.UUID;

/** The pod the DaemonSet's controller would make on a node, as the API server describes it. */
final class ExporterPod {
  private ExporterPod() {}

  /** Running on {@code node}, its one container with id {@code containerId} (containerd). */
  static Pod of(Deploy.Rendered base, String node, String uid, String containerId) {
    DaemonSet daemonSet = base.daemonSet();
    String name = daemonSet.getMetadata().getName();
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(daemonSet.getMetadata().getNamespace())
        .withName(name + "-" + uid.substring(0, 5))
        .withUid(uid)
        .withLabels(daemonSet.getSpec().getTemplate().getMetadata().getLabels())
        // The controller copies the template's annotations too: capability-exporter.io/expected.
        .withAnnotations(daemonSet.getSpec().getTemplate().getMetadata().getAnnotations())
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("DaemonSet")
        .withName(name)
        .withUid(UUID.randomUUID().toString())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withSpec(
            new PodSpecBuilder(daemonSet.getSpec().getTemplate().getSpec())
                .withNodeName(node)
                .build())
        .withNewStatus()
        .withPhase("Running")
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName(base.exporter().getName())
                .withContainerID("containerd://" + containerId)
                .withReady(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt("2026-11-24T12:00:00Z")
                .endRunning()
                .endState()
                .build())
        .endStatus()
        .build();
  }
}
