package io.capabilityexporter.webconfig;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** A web config's TLS as Vert.x serves it: at listen, and on every reload. */
public final class TlsOptions {
  /** A client that has not finished its handshake by then is gone: the slowloris of TLS. */
  public static final long HANDSHAKE_TIMEOUT_SECONDS = 10;

  private TlsOptions() {}

  /** Sets everything TLS on {@code options}: the certificate, client auth, versions, suites. */
  public static ServerSSLOptions apply(TlsConfig tls, boolean http2, ServerSSLOptions options) {
    options
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(tls.certificate()))
                .setKeyValue(Buffer.buffer(tls.key())))
        .setClientAuth(
            tls.clientAuth() == ClientAuthType.NoClientCert
                ? ClientAuth.NONE
                : tls.clientAuth().required ? ClientAuth.REQUIRED : ClientAuth.REQUEST)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
        .setUseAlpn(http2)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    if (tls.clientAuth() != ClientAuthType.NoClientCert) {
      options.setTrustOptions(TrustOptions.wrap(trust(tls)));
    }
    if (!tls.cipherSuites().isEmpty()) {
      // TLS 1.3's suites stay on, as Go cannot configure them either.
      TlsNames.TLS13_SUITES.forEach(options::addEnabledCipherSuite);
      tls.cipherSuites().forEach(options::addEnabledCipherSuite);
    }
    return options;
  }

  private static X509TrustManager trust(TlsConfig tls) {
    X509TrustManager trust =
        tls.clientAuth().verified ? verifying(tls) : new AnyClientCertificate();
    return tls.clientAllowedSans().isEmpty()
        ? trust
        : new AllowedSans(trust, tls.clientAllowedSans());
  }

  /** Client certificates verified against the client CA, or the JVM's roots without one. */
  private static X509TrustManager verifying(TlsConfig tls) {
    try {
      KeyStore roots = null;
      if (tls.clientCa().isPresent()) {
        roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        int index = 0;
        for (Certificate ca :
            CertificateFactory.getInstance("X.509")
                .generateCertificates(
                    new ByteArrayInputStream(
                        tls.clientCa().get().getBytes(StandardCharsets.UTF_8)))) {
          roots.setCertificateEntry("client-ca-" + index++, (X509Certificate) ca);
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(roots);
      for (var manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JVM has no X.509 trust manager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      // The CA was parsed when the file was read (TlsCheck): this is the JVM failing.
      throw new IllegalStateException("client CA: " + e.getMessage(), e);
    }
  }
}
