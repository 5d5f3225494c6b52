package io.capabilityexporter.webconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The web config as exporter-toolkit reads it: every field, and every way it can be wrong. */
class WebConfigFileTest {
  /** alice's password is alice123 (exporter-toolkit's own test data). */
  static final String ALICE = "$2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby";

  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.make(dir);
    TestCertificates.openssl(
        dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    TestCertificates.openssl(
        dir, "req", "-x509", "-key", "ec.key", "-subj", "/CN=ec", "-days", "2", "-out", "ec.crt");
    TestCertificates.openssl(dir, "genrsa", "-traditional", "-out", "rsa1.key", "2048");
    TestCertificates.openssl(
        dir,
        "req",
        "-x509",
        "-key",
        "rsa1.key",
        "-subj",
        "/CN=rsa1",
        "-days",
        "2",
        "-out",
        "rsa1.crt");
  }

  static WebConfig load(String yaml) throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, yaml);
    return WebConfigFile.load(file);
  }

  static String error(String yaml) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml));
    assertThat(thrown).isInstanceOf(WebConfigException.class);
    return thrown.getMessage().replace(dir.toString(), "DIR");
  }

  static final String TLS = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";

  @Test
  void an_empty_file_is_plain_http_without_authentication() throws Exception {
    WebConfig config = load("");
    assertThat(config.tls()).isEmpty();
    assertThat(config.users()).isEmpty();
    assertThat(config.headers()).isEmpty();
    assertThat(config.rateLimit()).isEmpty();
    assertThat(config.http2()).isTrue();
    assertThat(load("tls_server_config:\nhttp_server_config:\n").tls()).isEmpty();
  }

  @Test
  void every_field_of_node_exporters_format() throws Exception {
    WebConfig config =
        load(
            """
            tls_server_config:
              cert_file: server.crt
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.crt
              client_allowed_sans: [prometheus.monitoring]
              min_version: TLS12
              max_version: TLS13
              cipher_suites:
                - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                - TLS_AES_128_GCM_SHA256
                - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
              prefer_server_cipher_suites: false
              curve_preferences: [X25519, CurveP256, CurveP384, CurveP521]
            http_server_config:
              http2: false
              headers:
                X-Frame-Options: deny
                X-Content-Type-Options: nosniff
                Strict-Transport-Security: max-age=31536000
                X-XSS-Protection: "1"
                Content-Security-Policy: "default-src 'self'"
            basic_auth_users:
              alice: %s
            rate_limit:
              interval: 1m30s
              burst: 20
            """
                .formatted(ALICE));
    TlsConfig tls = config.tls().orElseThrow();
    assertThat(tls.certificate()).isEqualTo(Files.readString(certs.serverCert));
    assertThat(tls.key()).isEqualTo(Files.readString(certs.serverKey));
    assertThat(tls.clientCa()).hasValue(Files.readString(certs.caCert));
    assertThat(tls.clientAuth()).isEqualTo(ClientAuthType.RequireAndVerifyClientCert);
    assertThat(tls.clientAllowedSans()).containsExactly("prometheus.monitoring");
    assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    // TLS 1.3's suites are not configurable, in Go as here: only TLS 1.2's are kept.
    assertThat(tls.cipherSuites())
        .containsExactly(
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    assertThat(tls.namedGroups()).containsExactly("x25519", "secp256r1", "secp384r1", "secp521r1");
    assertThat(config.http2()).isFalse();
    assertThat(config.headers())
        .containsEntry("X-Frame-Options", "deny")
        .containsEntry("X-Content-Type-Options", "nosniff")
        .containsEntry("Strict-Transport-Security", "max-age=31536000")
        .containsEntry("X-XSS-Protection", "1")
        .containsEntry("Content-Security-Policy", "default-src 'self'");
    assertThat(config.users()).isEqualTo(Map.of("alice", ALICE));
    assertThat(config.rateLimit()).hasValue(new WebConfig.RateLimit(Duration.ofSeconds(90), 20));
    assertThat(config.files())
        .containsExactly(dir.resolve("web.yml"), certs.serverCert, certs.serverKey, certs.caCert);
  }

  @Test
  void the_defaults_are_exporter_toolkits() throws Exception {
    TlsConfig tls = load(TLS).tls().orElseThrow();
    assertThat(tls.clientAuth()).isEqualTo(ClientAuthType.NoClientCert);
    assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(tls.cipherSuites()).isEmpty();
    assertThat(tls.namedGroups()).isEmpty();
    assertThat(tls.clientCa()).isEmpty();
  }

  @Test
  void certificates_and_keys_can_be_inline_and_of_each_pem_kind() throws Exception {
    String cert = Files.readString(certs.serverCert).indent(4);
    String key = Files.readString(certs.serverKey).indent(4);
    TlsConfig inline =
        load("tls_server_config:\n  cert: |\n" + cert + "  key: |\n" + key).tls().orElseThrow();
    assertThat(inline.certificate().strip()).isEqualTo(Files.readString(certs.serverCert).strip());
    // SEC1 (BEGIN EC PRIVATE KEY) and PKCS#1 (BEGIN RSA PRIVATE KEY), as openssl writes them.
    assertThat(Files.readString(dir.resolve("ec.key"))).contains("BEGIN EC PRIVATE KEY");
    assertThat(load("tls_server_config:\n  cert_file: ec.crt\n  key_file: ec.key\n").tls())
        .isPresent();
    assertThat(Files.readString(dir.resolve("rsa1.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(load("tls_server_config:\n  cert_file: rsa1.crt\n  key_file: rsa1.key\n").tls())
        .isPresent();
  }

  @ParameterizedTest
  @CsvSource({
    "NoClientCert, NoClientCert, false, false",
    "RequestClientCert, RequestClientCert, false, false",
    "RequireAnyClientCert, RequireAnyClientCert, true, false",
    "RequireClientCert, RequireAnyClientCert, true, false",
    "VerifyClientCertIfGiven, VerifyClientCertIfGiven, false, true",
    "RequireAndVerifyClientCert, RequireAndVerifyClientCert, true, true"
  })
  void the_five_client_auth_types_and_the_old_alias(
      String written, ClientAuthType read, boolean required, boolean verified) throws Exception {
    String ca = read.verified ? "  client_ca_file: ca.crt\n" : "";
    ClientAuthType type =
        load(TLS + "  client_auth_type: " + written + "\n" + ca).tls().orElseThrow().clientAuth();
    assertThat(type).isEqualTo(read);
    assertThat(type.required).isEqualTo(required);
    assertThat(type.verified).isEqualTo(verified);
  }

  @Test
  void yaml_and_key_errors_name_the_line_and_the_fix() {
    assertThat(error("tls_server_config: [\n")).startsWith("DIR/web.yml:2: not valid YAML: ");
    assertThat(error("tls_config:\n  cert_file: x\n"))
        .isEqualTo(
            "DIR/web.yml:1: tls_config: unknown key: the keys here are tls_server_config,"
                + " http_server_config, basic_auth_users, rate_limit");
    assertThat(error(TLS + "  min_versoin: TLS12\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.min_versoin: unknown key (did you mean"
                + " min_version?)");
    assertThat(error(TLS + "  cert_file: other.crt\n"))
        .isEqualTo("DIR/web.yml:4: tls_server_config.cert_file: given twice (first on line 2)");
    assertThat(error("- a\n")).isEqualTo("DIR/web.yml:1: must be a mapping, not a list");
    assertThat(error("http_server_config:\n  http2: maybe\n"))
        .isEqualTo("DIR/web.yml:2: http_server_config.http2: must be true or false, not a string");
    assertThat(error("basic_auth_users: [alice]\n"))
        .isEqualTo("DIR/web.yml:1: basic_auth_users: must be a mapping, not a list");
  }

  @Test
  void the_file_itself_is_read_as_untrusted() throws Exception {
    assertThatThrownBy(() -> WebConfigFile.load(dir.resolve("missing.yml")))
        .hasMessage(dir.resolve("missing.yml") + ": no such file");
    assertThatThrownBy(() -> WebConfigFile.load(dir))
        .hasMessage(
            dir + ": a directory, not a regular file: name a regular file of at most 1 MiB");
    Path big = dir.resolve("big.yml");
    Files.write(big, new byte[BoundedRead.MAX_BYTES + 1]);
    assertThatThrownBy(() -> WebConfigFile.load(big))
        .hasMessage(big + ": larger than 1 MiB: name a regular file of at most 1 MiB");
    Path latin1 = dir.resolve("latin1.yml");
    Files.write(latin1, new byte[] {'#', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> WebConfigFile.load(latin1)).hasMessage(latin1 + ": not UTF-8 text");
    Path fifo = dir.resolve("fifo.yml");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    assertThatThrownBy(() -> WebConfigFile.load(fifo))
        .hasMessage(fifo + ": a FIFO, not a regular file: name a regular file of at most 1 MiB");
  }

  @Test
  void certificate_and_key_errors() throws Exception {
    assertThat(error("tls_server_config:\n  key_file: server.key\n"))
        .isEqualTo(
            "DIR/web.yml:2: tls_server_config: missing one of cert or cert_file: name the PEM"
                + " file in cert_file");
    assertThat(error("tls_server_config:\n  cert_file: server.crt\n"))
        .isEqualTo(
            "DIR/web.yml:2: tls_server_config: missing one of key or key_file: name the PEM file"
                + " in key_file");
    assertThat(error("tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n"))
        .isEqualTo("DIR/web.yml:2: tls_server_config.cert_file: DIR/nope.crt: no such file");
    assertThat(error("tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n"))
        .isEqualTo(
            "DIR/web.yml:2: tls_server_config.key_file: is not the key of the certificate in"
                + " tls_server_config.cert_file: give its own key");
    assertThat(error("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n"))
        .startsWith("DIR/web.yml:2: tls_server_config.cert_file: not a PEM certificate (")
        .endsWith("): give BEGIN CERTIFICATE blocks");
    assertThat(error("tls_server_config:\n  cert_file: server.crt\n  key_file: server.crt\n"))
        .startsWith("DIR/web.yml:2: tls_server_config.key_file: not a private key Java can read (");
    assertThat(error(TLS + "  cert: inline\n"))
        .isEqualTo("DIR/web.yml:2: tls_server_config.cert_file: given with cert: give one of them");
    assertThat(error(TLS + "  client_ca_file: ca.crt\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config: a client CA is given without client_auth_type"
                + " (exporter-toolkit: \"client CA's have been configured without a Client Auth"
                + " Policy\"): set client_auth_type: RequireAndVerifyClientCert");
    assertThat(
            error(TLS + "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: web.yml\n"))
        .isEqualTo(
            "DIR/web.yml:2: tls_server_config.client_ca_file: not a PEM certificate (No certificate data found):"
                + " give BEGIN CERTIFICATE blocks");
    assertThat(error("tls_server_config:\n  min_version: TLS13\n"))
        .isEqualTo(
            "DIR/web.yml:2: tls_server_config: gives no certificate, so TLS would be off and"
                + " min_version ignored: add cert_file and key_file, or remove tls_server_config");
  }

  @Test
  void tls_setting_errors() {
    assertThat(error(TLS + "  client_auth_type: RequireAndVerifyClientCerts\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.client_auth_type: \"RequireAndVerifyClientCerts\" is"
                + " not a client auth type (did you mean RequireAndVerifyClientCert?)");
    assertThat(error(TLS + "  client_auth_type: Always\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.client_auth_type: \"Always\" is not a client auth"
                + " type: write one of NoClientCert, RequestClientCert, RequireAnyClientCert,"
                + " VerifyClientCertIfGiven, RequireAndVerifyClientCert");
    assertThat(error(TLS + "  min_version: TLS14\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.min_version: \"TLS14\" is not a TLS version: write"
                + " TLS12 or TLS13");
    assertThat(error(TLS + "  min_version: TLS10\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.min_version: TLS10 is not served: Java 17 disables"
                + " TLS 1.0 and 1.1 (jdk.tls.disabledAlgorithms); write TLS12 or TLS13");
    assertThat(error(TLS + "  min_version: TLS13\n  max_version: TLS12\n"))
        .isEqualTo(
            "DIR/web.yml:5: tls_server_config.max_version: TLS12 is below min_version TLS13: no"
                + " connection could be made; raise max_version");
    assertThat(error(TLS + "  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.cipher_suites: \"TLS_RSA_WITH_RC4_128_SHA\" is not"
                + " a cipher suite Go offers: write names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(error(TLS + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265]\n"))
        .endsWith("(did you mean TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256?)");
    assertThat(
            error(
                TLS
                    + "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.cipher_suites: HTTP/2 needs"
                + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or"
                + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (Go's http2 refuses to start without):"
                + " add one, or set http_server_config.http2: false");
    assertThat(error(TLS + "  curve_preferences: [P256]\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.curve_preferences: \"P256\" is not a curve: write"
                + " CurveP256, CurveP384, CurveP521, X25519");
    assertThat(error(TLS + "  prefer_server_cipher_suites: sometimes\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.prefer_server_cipher_suites: must be true or false,"
                + " not a string");
    assertThat(error(TLS + "  client_allowed_sans: [prometheus]\n"))
        .isEqualTo(
            "DIR/web.yml:4: tls_server_config.client_allowed_sans: needs client certificates: set"
                + " client_auth_type: RequireAndVerifyClientCert");
  }

  @Test
  void header_user_and_rate_limit_errors() {
    assertThat(error("http_server_config:\n  headers:\n    X-Powered-By: java\n"))
        .isEqualTo(
            "DIR/web.yml:3: http_server_config.headers.X-Powered-By: unknown key: the keys here"
                + " are Content-Security-Policy, Strict-Transport-Security,"
                + " X-Content-Type-Options, X-Frame-Options, X-XSS-Protection");
    assertThat(error("http_server_config:\n  headers:\n    X-Frame-Options: allow\n"))
        .isEqualTo(
            "DIR/web.yml:3: http_server_config.headers.X-Frame-Options: \"allow\" is not allowed:"
                + " write deny or sameorigin");
    assertThat(error("basic_auth_users:\n  alice: alice123\n"))
        .isEqualTo(
            "DIR/web.yml:2: basic_auth_users.alice: not a bcrypt hash ($2y$10$ and 53 more"
                + " characters): make one with `htpasswd -nBC 10 \"\" | tr -d ':\\n'`");
    assertThat(error("rate_limit:\n  interval: soon\n"))
        .isEqualTo(
            "DIR/web.yml:2: rate_limit.interval: \"soon\" is not a duration: write it as 1s,"
                + " 500ms or 1m");
    assertThat(error("rate_limit:\n  interval: 1s\n  burst: many\n"))
        .isEqualTo("DIR/web.yml:3: rate_limit.burst: \"many\" is not a whole number of requests");
  }

  @Test
  void a_rate_limit_of_interval_0_is_none() throws Exception {
    assertThat(load("rate_limit:\n  interval: 0\n  burst: 5\n").rateLimit()).isEmpty();
    assertThat(load("rate_limit:\n  interval: 500ms\n").rateLimit())
        .hasValue(new WebConfig.RateLimit(Duration.ofMillis(500), 0));
    assertThat(List.of()).isEmpty();
  }
}
