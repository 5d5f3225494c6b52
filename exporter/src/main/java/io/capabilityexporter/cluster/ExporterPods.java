package io.capabilityexporter.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The exporters of the DaemonSet, as the API server lists them. */
final class ExporterPods {
  private ExporterPods() {}

  static List<ExporterPod> find(KubernetesClient client, ClusterAccess access)
      throws ClusterException {
    List<Pod> pods;
    try {
      pods =
          client
              .pods()
              .inNamespace(access.namespace())
              .withLabels(access.labels())
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw new ClusterException(
          "cannot list the exporters' pods in namespace "
              + access.namespace()
              + ": "
              + Permissions.explain(e, "list", "pods", access.namespace()));
    }
    if (pods.isEmpty()) {
      throw new ClusterException(
          "no pods labelled "
              + access.selector()
              + " in namespace "
              + access.namespace()
              + ": is the exporter deployed there? --exporter-namespace and --exporter-selector"
              + " name another DaemonSet");
    }
    return pods.stream()
        .map(
            pod ->
                new ExporterPod(
                    pod.getMetadata().getName(),
                    Optional.ofNullable(pod.getSpec().getNodeName()).orElse(""),
                    pod.getStatus() == null
                        ? ""
                        : Optional.ofNullable(pod.getStatus().getPhase()).orElse("")))
        .sorted(Comparator.comparing(ExporterPod::node).thenComparing(ExporterPod::name))
        .toList();
  }
}
