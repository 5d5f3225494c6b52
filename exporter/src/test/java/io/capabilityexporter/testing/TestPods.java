package io.capabilityexporter.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.UUID;

/** Pods as the API server describes them, for the tests' simulated nodes. */
public final class TestPods {
  private TestPods() {}

  /** A random 64-hex-digit container id, as containerd and CRI-O make them. */
  public static String containerId() {
    return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
  }

  /**
   * A running pod of Deployment {@code deployment} on {@code node}, one container {@code container}
   * with id {@code containerId} (containerd), owned through ReplicaSet {@code
   * <deployment>-6d4cf56db6}.
   */
  public static Pod deploymentPod(
      String namespace,
      String name,
      String uid,
      String node,
      String deployment,
      String container,
      String containerId) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid(uid)
        .addToLabels("app", deployment)
        .addToLabels("pod-template-hash", "6d4cf56db6")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(deployment + "-6d4cf56db6")
        .withUid(UUID.randomUUID().toString())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName(container)
        .withImage("registry.example/" + namespace + "/" + container + ":1.0")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName(container)
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
