package io.capabilityexporter.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an API server's refusal means to the person at the workstation, and what grants it. */
final class Permissions {
  static final String ROLE_HINT =
      "the chart's opt-in Role grants it: values clusterAccess.create=true and"
          + " clusterAccess.subjects naming you or your group (Role <release>-cluster-access)";

  private Permissions() {}

  static String explain(KubernetesClientException e, String verb, String resource, String ns) {
    if (e.getCode() == 401) {
      return "the API server does not know you (401): log in again, or check the kubeconfig";
    }
    if (e.getCode() == 403) {
      return "forbidden: you need "
          + verb
          + " on "
          + resource
          + " in namespace "
          + ns
          + "; "
          + ROLE_HINT;
    }
    String message = e.getStatus() != null ? e.getStatus().getMessage() : null;
    return (message != null ? message : String.valueOf(e.getMessage()))
        + (e.getCode() == 0 ? " (is the kubeconfig's server reachable?)" : "");
  }
}
