package io.capabilityexporter.webconfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Go's names in the web config for TLS versions, cipher suites and curves, and Java's for them. */
final class TlsNames {
  private TlsNames() {}

  /**
   * min_version and max_version, in order. TLS10 and TLS11 are Go's names too, but Java 17 disables
   * both (jdk.tls.disabledAlgorithms): refused, not silently raised to TLS12.
   */
  static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  static final Map<String, String> JAVA_VERSIONS = Map.of("TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

  /**
   * cipher_suites: Go's crypto/tls CipherSuites(), whose names are IANA's and so Java's. The TLS
   * 1.3 suites are accepted and, as in Go, change nothing: TLS 1.3's suites are not configurable.
   * The four TLS_RSA_ suites older Go versions listed there are accepted too.
   */
  static final List<String> TLS13_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  static final List<String> TLS12_SUITES =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_RSA_WITH_AES_256_GCM_SHA384");

  /** What Go's HTTP/2 server requires among the TLS 1.2 suites (RFC 7540, 9.2.2). */
  static final List<String> HTTP2_REQUIRED_SUITES =
      List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

  /** curve_preferences: exporter-toolkit's names, and the JSSE named groups they are. */
  static final Map<String, String> CURVES = new LinkedHashMap<>();

  static {
    CURVES.put("CurveP256", "secp256r1");
    CURVES.put("CurveP384", "secp384r1");
    CURVES.put("CurveP521", "secp521r1");
    CURVES.put("X25519", "x25519");
  }
}
