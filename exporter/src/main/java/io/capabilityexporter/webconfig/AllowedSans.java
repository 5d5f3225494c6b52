package io.capabilityexporter.webconfig;

import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * client_allowed_sans: after the usual checks, the client's certificate must carry one of these
 * subject alternative names (DNS, IP, e-mail or URI), exactly, as exporter-toolkit checks.
 */
final class AllowedSans implements X509TrustManager {
  private final X509TrustManager delegate;
  private final List<String> allowed;

  AllowedSans(X509TrustManager delegate, List<String> allowed) {
    this.delegate = delegate;
    this.allowed = List.copyOf(allowed);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    for (String name : names(chain[0])) {
      if (allowed.contains(name)) {
        return;
      }
    }
    throw new CertificateException("no allowed SAN in the client certificate: " + allowed);
  }

  private static List<String> names(X509Certificate certificate)
      throws CertificateParsingException {
    List<String> names = new ArrayList<>();
    Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
    if (sans == null) {
      return names;
    }
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      Object value = san.get(1);
      // 1 rfc822Name (e-mail), 2 dNSName, 6 URI, 7 iPAddress
      if ((type == 1 || type == 2 || type == 6) && value instanceof String text) {
        names.add(text);
      } else if (type == 7 && value instanceof String address) {
        names.add(address);
        try {
          // Java writes IPv6 in full; Go's net.IP.String() compresses it.
          names.add(InetAddress.getByName(address).getHostAddress());
        } catch (java.net.UnknownHostException e) {
          // a literal address never needs a lookup
        }
      }
    }
    return names;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
