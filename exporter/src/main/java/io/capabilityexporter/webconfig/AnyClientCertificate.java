package io.capabilityexporter.webconfig;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * client_auth_type RequestClientCert and RequireAnyClientCert: Go asks for a client certificate and
 * takes any, unverified, and so does this. exporter-toolkit's documentation warns that only
 * RequireAndVerifyClientCert authenticates clients; the README repeats it.
 */
final class AnyClientCertificate implements X509TrustManager {
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    // Any certificate, by the config's choice.
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {
    throw new UnsupportedOperationException("a server's trust manager checks clients only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
