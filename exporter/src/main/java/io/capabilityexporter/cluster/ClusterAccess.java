package io.capabilityexporter.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a workstation reaches the exporters of a cluster: the DaemonSet's pods, found through the API
 * server, each asked over a port-forward, as {@code kubectl port-forward} does. A port-forward, not
 * the API server's pod proxy: the proxy drops the Authorization header once it has authenticated
 * the caller, so an exporter's basic auth could not be met through it.
 *
 * @param namespace where the DaemonSet runs
 * @param selector its pods' labels, {@code key=value[,key=value]}
 * @param port the exporter's port in its pod
 * @param tls null for plain HTTP
 * @param user basic auth's user, null for none
 * @param password basic auth's password; never a flag (a command line is any user's to read)
 */
public record ClusterAccess(
    String namespace, String selector, int port, Tls tls, String user, String password) {

  public static final String DEFAULT_NAMESPACE = "capability-exporter";
  public static final String DEFAULT_SELECTOR = "app.kubernetes.io/name=capability-exporter";
  public static final int DEFAULT_PORT = 9741;

  /** The environment variable basic auth's password is read from. */
  public static final String PASSWORD_VARIABLE = "CAPABILITY_EXPORTER_PASSWORD";

  /**
   * TLS to the exporter, as its web config serves it.
   *
   * @param caFile the CA that signed its certificate, PEM; null for the JDK's trusted CAs
   * @param serverName the name its certificate must carry: the port-forward's address is this
   *     workstation's loopback, so the name cannot come from it
   */
  public record Tls(Path caFile, String serverName) {
    public Tls {
      Objects.requireNonNull(serverName, "serverName");
    }
  }

  public ClusterAccess {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(selector, "selector");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("a basic auth user needs a password, and only then");
    }
    labels(selector);
  }

  /** The selector's labels: {@code a=b,c=d}, the only form a DaemonSet's selector needs. */
  public Map<String, String> labels() {
    return labels(selector);
  }

  private static Map<String, String> labels(String selector) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String term : selector.split(",", -1)) {
      int equals = term.indexOf('=');
      if (equals <= 0 || equals == term.length() - 1 || term.indexOf('=', equals + 1) >= 0) {
        throw new IllegalArgumentException(
            "--exporter-selector="
                + selector
                + ": write it as key=value[,key=value] (app.kubernetes.io/name=capability-exporter)");
      }
      labels.put(term.substring(0, equals).strip(), term.substring(equals + 1).strip());
    }
    return labels;
  }
}
