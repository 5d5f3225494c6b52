package io.capabilityexporter.kubernetes;

import io.capabilityexporter.files.NodeName;
import io.capabilityexporter.files.UntrustedFile;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the exporter runs in Kubernetes, and how it reaches the API server: in a pod (the service
 * account, {@code KUBERNETES_SERVICE_HOST}) or with {@code KUBECONFIG}; {@code NODE_NAME} names the
 * node whose pods to watch. With neither, the exporter runs as on a plain host.
 *
 * @param watches the watch of the node's pods, as the client's HTTP requests show it
 */
public record KubernetesConnection(KubernetesClient client, String node, WatchHealth watches) {
  private static final UntrustedFile KUBECONFIG =
      new UntrustedFile(
          "kubeconfig", 1 << 20, Duration.ofSeconds(5), "point KUBECONFIG at a kubeconfig file");

  /**
   * @throws IllegalArgumentException the environment asks for Kubernetes but is incomplete, named
   *     with the fix
   */
  public static Optional<KubernetesConnection> fromEnvironment(Map<String, String> env) {
    String kubeconfig = blankToNull(env.get("KUBECONFIG"));
    boolean inCluster = blankToNull(env.get("KUBERNETES_SERVICE_HOST")) != null;
    if (kubeconfig == null && !inCluster) {
      return Optional.empty();
    }
    String node = NodeName.fromEnvironment(env).orElse(null);
    if (node == null) {
      throw new IllegalArgumentException(
          "NODE_NAME is not set: in Kubernetes the exporter watches the pods of its own node;"
              + " set it from the downward API (env NODE_NAME, valueFrom.fieldRef.fieldPath:"
              + " spec.nodeName), or unset "
              + (kubeconfig != null ? "KUBECONFIG" : "KUBERNETES_SERVICE_HOST")
              + " to run without Kubernetes");
    }
    Config config = kubeconfig != null ? fromKubeconfig(kubeconfig) : Config.autoConfigure(null);
    // Plain HTTP watches, as client-go makes them: no WebSocket upgrade to get through proxies.
    config.setOnlyHttpWatches(true);
    // Failures reach the informer, which retries with backoff of its own and counts each one.
    config.setRequestRetryBackoffLimit(0);
    WatchHealth watches = new WatchHealth();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("watches", watches))
            .build();
    return Optional.of(new KubernetesConnection(client, node, watches));
  }

  private static Config fromKubeconfig(String kubeconfig) {
    // KUBECONFIG may list several files; the first one that exists is used, as kubectl's first.
    for (String name : kubeconfig.split(File.pathSeparator)) {
      Path path = Path.of(name);
      if (name.isBlank() || !Files.exists(path)) {
        continue;
      }
      try {
        // Checked as untrusted first: fabric8 reads it again itself, by name (relative paths in
        // it resolve against its directory), and whoever sets KUBECONFIG chose the file.
        KUBECONFIG.read(path);
        return Config.fromKubeconfig(path.toFile());
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "KUBECONFIG=" + name + " cannot be read: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "KUBECONFIG=" + kubeconfig + ": no such file; point it at a kubeconfig or unset it");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
