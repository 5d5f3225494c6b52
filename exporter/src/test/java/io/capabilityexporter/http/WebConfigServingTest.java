package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capabilityexporter.webconfig.TestCertificates;
import io.capabilityexporter.webconfig.WebConfig;
import io.capabilityexporter.webconfig.WebConfigFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server as a web config makes it: TLS, client certificates, basic auth, headers, limits. */
class WebConfigServingTest {
  /** alice's password is alice123 (exporter-toolkit's own test data). */
  static final String ALICE = "$2y$12$1DpfPeqF9HzHJt.EWswy1exHluGfbhnn3yXhR7Xes6m3WJqFg0Wby";

  static final String TLS = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";

  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCertificates.make(dir);
  }

  static TestServer serve(String yaml) throws Exception {
    Path file = dir.resolve("web.yml");
    Files.writeString(file, yaml);
    WebConfig config = WebConfigFile.load(file);
    return new TestServer(HttpLimits.defaults(), null, () -> config);
  }

  static HttpResponse<String> get(HttpClient client, URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static URI https(TestServer server, String path) {
    return URI.create("https://127.0.0.1:" + server.port + path);
  }

  @Test
  void serves_https_and_http2_and_not_plain_http() throws Exception {
    try (TestServer server = serve(TLS)) {
      HttpResponse<String> answer =
          get(
              TlsClients.client(certs, false, HttpClient.Version.HTTP_2),
              https(server, "/metrics"),
              null);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(TestServer.BODY);
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThatThrownBy(() -> server.get("/metrics")).isInstanceOf(IOException.class);
    }
  }

  /** GET and HEAD are served over HTTP/2 too: a HEAD's answer has the length and no body. */
  @Test
  void head_over_http2_answers_with_the_length_and_no_body() throws Exception {
    try (TestServer server = serve(TLS)) {
      HttpClient client = TlsClients.client(certs, false, HttpClient.Version.HTTP_2);
      for (String path : List.of("/metrics", "/healthz", "/nothere")) {
        HttpResponse<String> get = get(client, https(server, path), null);
        HttpResponse<String> head =
            client.send(
                HttpRequest.newBuilder(https(server, path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
        assertThat(head.body()).as(path).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length"))
            .as(path)
            .hasValue(get.body().getBytes(StandardCharsets.UTF_8).length);
      }
    }
  }

  @Test
  void http2_false_answers_in_http_1_1() throws Exception {
    try (TestServer server = serve(TLS + "http_server_config:\n  http2: false\n")) {
      HttpResponse<String> answer =
          get(
              TlsClients.client(certs, false, HttpClient.Version.HTTP_2),
              https(server, "/metrics"),
              null);
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Test
  void min_version_tls13_refuses_a_tls12_client() throws Exception {
    try (TestServer server = serve(TLS + "  min_version: TLS13\n")) {
      HttpClient tls12 = TlsClients.client(certs, false, HttpClient.Version.HTTP_1_1, "TLSv1.2");
      assertThatThrownBy(() -> get(tls12, https(server, "/metrics"), null))
          .isInstanceOf(IOException.class);
      HttpClient tls13 = TlsClients.client(certs, false, HttpClient.Version.HTTP_1_1, "TLSv1.3");
      assertThat(get(tls13, https(server, "/metrics"), null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void cipher_suites_are_what_a_tls12_client_can_have() throws Exception {
    try (TestServer server =
        serve(
            TLS
                + "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n")) {
      HttpResponse<String> answer =
          get(
              TlsClients.client(certs, false, HttpClient.Version.HTTP_1_1),
              https(server, "/metrics"),
              null);
      assertThat(answer.sslSession().orElseThrow().getCipherSuite())
          .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
      assertThat(answer.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void require_and_verify_client_cert_admits_only_a_certificate_of_the_client_ca()
      throws Exception {
    try (TestServer server =
        serve(TLS + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n")) {
      assertThat(
              get(
                      TlsClients.client(certs, true, HttpClient.Version.HTTP_1_1),
                      https(server, "/metrics"),
                      null)
                  .statusCode())
          .isEqualTo(200);
      HttpClient anonymous = TlsClients.client(certs, false, HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> get(anonymous, https(server, "/metrics"), null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void client_allowed_sans_refuses_a_certificate_without_one_of_them() throws Exception {
    String mtls =
        TLS + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n";
    try (TestServer allowed = serve(mtls + "  client_allowed_sans: [prometheus.monitoring]\n")) {
      assertThat(
              get(
                      TlsClients.client(certs, true, HttpClient.Version.HTTP_1_1),
                      https(allowed, "/metrics"),
                      null)
                  .statusCode())
          .isEqualTo(200);
    }
    try (TestServer other = serve(mtls + "  client_allowed_sans: [grafana.monitoring]\n")) {
      HttpClient client = TlsClients.client(certs, true, HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> get(client, https(other, "/metrics"), null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void basic_auth_asks_for_credentials_and_takes_only_the_right_ones() throws Exception {
    try (TestServer server = serve("basic_auth_users:\n  alice: " + ALICE + "\n")) {
      HttpResponse<String> none = get(server.http, server.uri("/metrics"), null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic");
      assertThat(get(server.http, server.uri("/metrics"), basic("alice", "alice1234")).statusCode())
          .isEqualTo(401);
      assertThat(
              get(server.http, server.uri("/metrics"), basic("mallory", "alice123")).statusCode())
          .isEqualTo(401);
      assertThat(get(server.http, server.uri("/metrics"), "Bearer alice123").statusCode())
          .isEqualTo(401);
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> alice =
            get(server.http, server.uri("/metrics"), basic("alice", "alice123"));
        assertThat(alice.statusCode()).isEqualTo(200);
        assertThat(alice.body()).isEqualTo(TestServer.BODY);
      }
      assertThat(get(server.http, server.uri(MetricsServer.PROFILES_PATH), null).statusCode())
          .isEqualTo(401);
      // The kubelet's probes carry no credentials.
      assertThat(get(server.http, server.uri("/healthz"), null).statusCode()).isEqualTo(200);
      assertThat(get(server.http, server.uri("/readyz"), null).statusCode()).isEqualTo(200);
      assertThat(
              server.metric(
                  "capability_exporter_http_requests_rejected_total{reason=\"unauthorized\"}"))
          .isEqualTo(5);
    }
  }

  @Test
  void headers_go_on_every_response_and_rate_limit_answers_429() throws Exception {
    try (TestServer server =
        serve(
            "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
                + "rate_limit:\n  interval: 1h\n  burst: 2\n")) {
      HttpResponse<String> first = get(server.http, server.uri("/metrics"), null);
      assertThat(first.headers().firstValue("X-Frame-Options")).hasValue("deny");
      assertThat(get(server.http, server.uri("/metrics"), null).statusCode()).isEqualTo(200);
      HttpResponse<String> third = get(server.http, server.uri("/metrics"), null);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("X-Frame-Options")).hasValue("deny");
      assertThat(get(server.http, server.uri("/healthz"), null).statusCode()).isEqualTo(200);
    }
  }
}
