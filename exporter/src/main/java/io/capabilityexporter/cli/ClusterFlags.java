package io.capabilityexporter.cli;

import io.capabilityexporter.cluster.ClusterAccess;
import io.capabilityexporter.cluster.ClusterException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The flags of {@code --cluster} ({@code profile}, {@code trace}): where the exporters are and how
 * to reach them from a workstation.
 */
final class ClusterFlags {
  /** Held: java.util.logging keeps loggers weakly, and a collected one loses its level. */
  private static final java.util.logging.Logger FABRIC8 =
      java.util.logging.Logger.getLogger("io.fabric8");

  static final List<Flag> FLAGS =
      List.of(
          Flag.toggle("cluster", "ask every exporter of the cluster, through the API server"),
          Flag.value("exporter-namespace", "NAME", "with --cluster: the DaemonSet's namespace")
              .withDefault(ClusterAccess.DEFAULT_NAMESPACE),
          Flag.value("exporter-selector", "LABELS", "with --cluster: its pods' labels")
              .withDefault(ClusterAccess.DEFAULT_SELECTOR),
          Flag.value("exporter-port", "PORT", "with --cluster: the exporter's port in its pod")
              .withDefault(ClusterAccess.DEFAULT_PORT),
          Flag.toggle("tls", "with --cluster: the exporters serve TLS (a web config)"),
          Flag.value(
              "tls-ca-file",
              "PATH",
              "with --cluster: the CA of their certificates (implies --tls)"),
          Flag.value(
                  "tls-server-name",
                  "NAME",
                  "with --cluster: a name their certificates carry (the port-forward's address"
                      + " is this machine's loopback)")
              .withDefault("localhost"),
          Flag.value(
              "basic-auth-user",
              "USER",
              "with --cluster: basic auth's user; the password from "
                  + ClusterAccess.PASSWORD_VARIABLE));

  private ClusterFlags() {}

  /** A command's own flags, then these. */
  static List<Flag> with(Flag... own) {
    List<Flag> all = new ArrayList<>(Arrays.asList(own));
    all.addAll(FLAGS);
    return List.copyOf(all);
  }

  /**
   * Why the cluster could not be asked: a ClusterException says it with the fix; anything else came
   * from the client before it reached the API server.
   */
  static String whyNot(Exception e) {
    return e instanceof ClusterException
        ? e.getMessage()
        : "cannot reach the cluster: "
            + e.getMessage()
            + " (KUBECONFIG, or ~/.kube/config, says where it is)";
  }

  /** The access the flags describe; basic auth's password from the environment. */
  static ClusterAccess access(Flags flags) throws UsageException {
    // fabric8 logs a failing port-forward's stack traces; the answer says what failed, once.
    FABRIC8.setLevel(java.util.logging.Level.OFF);
    return access(flags, System.getenv(ClusterAccess.PASSWORD_VARIABLE));
  }

  static ClusterAccess access(Flags flags, String password) throws UsageException {
    int port;
    try {
      port = Integer.parseInt(flags.get("exporter-port"));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new UsageException(
          "--exporter-port=" + flags.get("exporter-port") + " is not a port: 1 to 65535");
    }
    ClusterAccess.Tls tls = null;
    if (flags.has("tls") || flags.has("tls-ca-file")) {
      Path ca = flags.has("tls-ca-file") ? Path.of(flags.get("tls-ca-file")) : null;
      if (ca != null && !java.nio.file.Files.isRegularFile(ca)) {
        throw new UsageException("--tls-ca-file=" + ca + ": no such file; give the CA's PEM file");
      }
      tls = new ClusterAccess.Tls(ca, flags.get("tls-server-name"));
    }
    String user = flags.has("basic-auth-user") ? flags.get("basic-auth-user") : null;
    if (user != null && (password == null || password.isEmpty())) {
      throw new UsageException(
          "--basic-auth-user="
              + user
              + " needs the password in "
              + ClusterAccess.PASSWORD_VARIABLE
              + " (never a flag: a command line is any user's to read)");
    }
    try {
      return new ClusterAccess(
          flags.get("exporter-namespace"),
          flags.get("exporter-selector"),
          port,
          tls,
          user,
          user == null ? null : password);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
