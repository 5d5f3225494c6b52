package io.capabilityexporter.webconfig;

/**
 * curve_preferences. Java 17 has no way to set the curves of one server (SSLParameters'
 * setNamedGroups came in Java 20): only the system property jdk.tls.namedGroups, read once, for
 * every TLS connection of the process. So the exporter sets it at start-up, before any TLS is made;
 * its own clients (the Kubernetes API, OTLP) offer the same curves, which every Go server accepts.
 * A change takes a restart (the reload says so).
 */
public final class NamedGroups {
  static final String PROPERTY = "jdk.tls.namedGroups";

  private NamedGroups() {}

  public static void setProcessWide(WebConfig config) {
    config
        .tls()
        .filter(tls -> !tls.namedGroups().isEmpty())
        .ifPresent(tls -> System.setProperty(PROPERTY, String.join(",", tls.namedGroups())));
  }
}
