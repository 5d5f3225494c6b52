package io.capabilityexporter.http;

import io.capabilityexporter.webconfig.TestCertificates;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** HTTPS clients that trust the test CA, with or without a client certificate. */
final class TlsClients {
  private TlsClients() {}

  static HttpClient client(
      TestCertificates certs,
      boolean clientCertificate,
      HttpClient.Version version,
      String... protocols)
      throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream ca = Files.newInputStream(certs.caCert)) {
      trusted.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManagerFactory keys = null;
    if (clientCertificate) {
      Path p12 = certs.dir.resolve("client.p12");
      if (!Files.exists(p12)) {
        TestCertificates.openssl(
            certs.dir,
            "pkcs12",
            "-export",
            "-in",
            "client.crt",
            "-inkey",
            "client.key",
            "-passout",
            "pass:test",
            "-out",
            "client.p12");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(p12)) {
        store.load(in, "test".toCharArray());
      }
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, "test".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLParameters parameters = context.getDefaultSSLParameters();
    if (protocols.length > 0) {
      parameters.setProtocols(protocols);
    }
    return HttpClient.newBuilder()
        .sslContext(context)
        .sslParameters(parameters)
        .version(version)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
