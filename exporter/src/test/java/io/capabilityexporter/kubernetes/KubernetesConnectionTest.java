package io.capabilityexporter.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesConnectionTest {

  @Test
  void without_kubeconfig_or_a_service_host_the_exporter_runs_as_on_a_plain_host() {
    assertThat(KubernetesConnection.fromEnvironment(Map.of("NODE_NAME", "node-1"))).isEmpty();
  }

  @Test
  void in_kubernetes_without_node_name_the_error_names_the_variable_and_the_fix() {
    assertThatThrownBy(
            () ->
                KubernetesConnection.fromEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "NODE_NAME is not set: in Kubernetes the exporter watches the pods of its own node;"
                + " set it from the downward API (env NODE_NAME, valueFrom.fieldRef.fieldPath:"
                + " spec.nodeName), or unset KUBERNETES_SERVICE_HOST to run without Kubernetes");
  }

  @Test
  void a_kubeconfig_that_is_a_fifo_is_refused_at_once(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path fifo = dir.resolve("kubeconfig");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(
                    () ->
                        KubernetesConnection.fromEnvironment(
                            Map.of("KUBECONFIG", fifo.toString(), "NODE_NAME", "node-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                    "KUBECONFIG="
                        + fifo
                        + " cannot be read: kubeconfig "
                        + fifo
                        + " is a FIFO, not a regular file: point KUBECONFIG at a kubeconfig"
                        + " file"));
  }

  @Test
  void a_kubeconfig_that_is_not_there_is_named() {
    assertThatThrownBy(
            () ->
                KubernetesConnection.fromEnvironment(
                    Map.of("KUBECONFIG", "/nonexistent/kubeconfig", "NODE_NAME", "node-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "KUBECONFIG=/nonexistent/kubeconfig: no such file; point it at a kubeconfig or unset it");
  }
}
