package io.capabilityexporter.webconfig;

import io.capabilityexporter.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, made by the
 * {@code openssl} command line as a user would make them, in a directory of the test's.
 */
public final class TestCertificates {
  public final Path dir;
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.crt");
    this.serverCert = dir.resolve("server.crt");
    this.serverKey = dir.resolve("server.key");
    this.clientCert = dir.resolve("client.crt");
    this.clientKey = dir.resolve("client.key");
  }

  public static TestCertificates make(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TestCertificates certs = new TestCertificates(dir);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    certs.issue("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost", "rsa:2048");
    certs.issue("client", "/CN=prometheus", "subjectAltName=DNS:prometheus.monitoring", "rsa:2048");
    return certs;
  }

  /** A key and a certificate signed by the CA: NAME.key (PKCS#8) and NAME.crt. */
  public void issue(String name, String subject, String extension, String keyType)
      throws IOException, InterruptedException {
    openssl(
        dir,
        "req",
        "-newkey",
        keyType,
        "-nodes",
        "-subj",
        subject,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
  }

  public static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Command.Result result =
        Command.run(
            dir,
            Duration.ofMinutes(1),
            "the tests make certificates with openssl: `make deps` installs it (Debian: apt-get"
                + " install openssl)",
            command);
    if (result.status() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + ": " + result.output());
    }
  }
}
