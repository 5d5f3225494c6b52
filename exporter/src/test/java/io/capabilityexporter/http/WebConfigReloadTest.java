package io.capabilityexporter.http;

import static io.capabilityexporter.http.WebConfigServingTest.basic;
import static io.capabilityexporter.http.WebConfigServingTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.capabilityexporter.webconfig.TestCertificates;
import io.capabilityexporter.webconfig.WebConfig;
import io.capabilityexporter.webconfig.WebConfigFile;
import io.capabilityexporter.webconfig.WebConfigReloader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web config re-read while serving: users at once, certificates at the next handshake. */
class WebConfigReloadTest {
  private static final String SUCCESSFUL = "capability_exporter_web_config_last_reload_successful";

  @TempDir Path dir;

  @Test
  void new_users_and_certificates_apply_and_a_bad_file_keeps_the_previous_config()
      throws Exception {
    TestCertificates certs = TestCertificates.make(dir);
    Path file = dir.resolve("web.yml");
    String tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
    String alice = "basic_auth_users:\n  alice: " + WebConfigServingTest.ALICE + "\n";
    Files.writeString(file, tls + alice);
    WebConfig initial = WebConfigFile.load(file);
    AtomicReference<WebConfigReloader> reloader = new AtomicReference<>();
    try (TestServer server =
        new TestServer(
            HttpLimits.defaults(),
            null,
            () -> reloader.get() == null ? initial : reloader.get().get())) {
      // The server listens before the reloader, which calls it back, exists.
      reloader.set(
          WebConfigReloader.start(
              file,
              initial,
              config -> server.server.updateTls(config),
              server.registry,
              Duration.ofMillis(100)));
      URI metrics = URI.create("https://127.0.0.1:" + server.port + "/metrics");
      assertThat(get(client(certs), metrics, basic("alice", "alice123")).statusCode())
          .isEqualTo(200);
      BigInteger firstSerial = serial(certs, metrics);

      String bob = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "bob456".toCharArray());
      Files.writeString(file, tls + alice + "  bob: " + bob + "\n");
      await(() -> status(certs, metrics, basic("bob", "bob456")) == 200);
      assertThat(server.metric(SUCCESSFUL)).isEqualTo(1);
      assertThat(server.metric("capability_exporter_web_config_reloads_total{result=\"success\"}"))
          .isEqualTo(1);

      Files.writeString(file, tls + "basic_auth_users: [alice]\n");
      await(() -> server.metric(SUCCESSFUL) == 0);
      assertThat(status(certs, metrics, basic("bob", "bob456"))).isEqualTo(200);

      Files.writeString(file, alice);
      await(
          () ->
              server.metric("capability_exporter_web_config_reloads_total{result=\"failure\"}")
                  == 2);
      assertThat(status(certs, metrics, basic("alice", "alice123")))
          .as("turning TLS off takes a restart: still served over TLS")
          .isEqualTo(200);

      Files.writeString(file, tls + alice);
      await(() -> server.metric(SUCCESSFUL) == 1);
      // A renewed certificate, as cert-manager writes it: served from the next handshake on.
      certs.issue(
          "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost", "rsa:2048");
      await(() -> !serial(certs, metrics).equals(firstSerial));
      assertThat(status(certs, metrics, basic("bob", "bob456"))).isEqualTo(401);
      assertThat(status(certs, metrics, basic("alice", "alice123"))).isEqualTo(200);
    } finally {
      if (reloader.get() != null) {
        reloader.get().close();
      }
    }
  }

  private static HttpClient client(TestCertificates certs) throws Exception {
    // A new client: a new connection and a full handshake.
    return TlsClients.client(certs, false, HttpClient.Version.HTTP_1_1);
  }

  private static int status(TestCertificates certs, URI uri, String authorization) {
    try {
      return get(client(certs), uri, authorization).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static BigInteger serial(TestCertificates certs, URI uri) {
    try {
      return ((X509Certificate)
              get(client(certs), uri, null).sslSession().orElseThrow().getPeerCertificates()[0])
          .getSerialNumber();
    } catch (Exception e) {
      return BigInteger.ZERO;
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
  }
}
