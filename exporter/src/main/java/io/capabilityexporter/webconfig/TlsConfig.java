package io.capabilityexporter.webconfig;

import java.util.List;
import java.util.Optional;

/**
 * {@code tls_server_config}, with its certificate, key and client CA read and checked.
 *
 * @param certificate the certificate chain, PEM
 * @param key its private key, PEM (PKCS#8, PKCS#1 or SEC1)
 * @param clientCa the CA certificates client certificates are verified against, PEM; empty: the
 *     JVM's trusted roots, as Go falls back to the system's
 * @param clientAllowedSans when not empty, a client certificate must carry one of these subject
 *     alternative names
 * @param protocols the JSSE protocol names min_version to max_version allow
 * @param cipherSuites IANA names for TLS 1.2; empty: the JVM's defaults
 * @param namedGroups JSSE names of curve_preferences, in order; empty: the JVM's defaults
 */
public record TlsConfig(
    String certificate,
    String key,
    Optional<String> clientCa,
    ClientAuthType clientAuth,
    List<String> clientAllowedSans,
    List<String> protocols,
    List<String> cipherSuites,
    List<String> namedGroups) {

  public TlsConfig {
    clientAllowedSans = List.copyOf(clientAllowedSans);
    protocols = List.copyOf(protocols);
    cipherSuites = List.copyOf(cipherSuites);
    namedGroups = List.copyOf(namedGroups);
  }
}
