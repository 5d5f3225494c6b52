package io.capabilityexporter.webconfig;

import java.util.Optional;

/**
 * {@code client_auth_type}: Go's tls.ClientAuthType names, as exporter-toolkit takes them. Java's
 * server either requests or requires a client certificate and always verifies one it gets, so the
 * two kinds that take any certificate unverified trust every client certificate (as Go does).
 */
public enum ClientAuthType {
  NoClientCert(false, false),
  /** Asks for a certificate, takes any or none, verifies nothing. */
  RequestClientCert(false, false),
  /** Requires a certificate, any, unverified. */
  RequireAnyClientCert(true, false),
  /** Takes none, or one that verifies against the client CA. */
  VerifyClientCertIfGiven(false, true),
  /** Requires one that verifies against the client CA: the only one that authenticates clients. */
  RequireAndVerifyClientCert(true, true);

  public final boolean required;
  public final boolean verified;

  ClientAuthType(boolean required, boolean verified) {
    this.required = required;
    this.verified = verified;
  }

  /** The name, or the old alias RequireClientCert exporter-toolkit still accepts. */
  static Optional<ClientAuthType> named(String name) {
    if (name.equals("RequireClientCert")) {
      return Optional.of(RequireAnyClientCert);
    }
    for (ClientAuthType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
