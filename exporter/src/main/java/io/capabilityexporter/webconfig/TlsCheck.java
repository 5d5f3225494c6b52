package io.capabilityexporter.webconfig;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Whether the PEM a web config names can serve, checked when the file is read, so a bad certificate
 * is an error naming the field at start-up or reload rather than failed handshakes later.
 */
final class TlsCheck {
  private TlsCheck() {}

  /** The certificate and key parse (as Vert.x will read them) and belong together. */
  static void keyPair(String certificatePem, String keyPem, String certField, String keyField)
      throws WebConfigException {
    X509Certificate certificate = certificates(certificatePem, certField).get(0);
    PrivateKey key;
    try {
      // Vert.x's own PEM reading (PKCS#8, PKCS#1 and SEC1 keys); with values, it reads no file.
      KeyStore store =
          new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(certificatePem))
              .setKeyValue(Buffer.buffer(keyPem))
              .loadKeyStore(null);
      // The password Vert.x's KeyStoreHelper gives the entries it makes.
      key =
          (PrivateKey)
              store.getKey(
                  store.aliases().nextElement(),
                  "dummdummydummydummydummydummydummy".toCharArray());
    } catch (Exception e) {
      throw new WebConfigException(
          keyField
              + ": not a private key Java can read ("
              + e.getMessage()
              + "): give a PEM key, PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 (BEGIN RSA PRIVATE KEY) or"
              + " SEC1 (BEGIN EC PRIVATE KEY)");
    }
    if (!matches(certificate, key)) {
      throw new WebConfigException(
          keyField + ": is not the key of the certificate in " + certField + ": give its own key");
    }
  }

  /** Signs with the key and verifies with the certificate's public key. */
  private static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return true; // nothing to check it with: the handshake will tell
    }
    try {
      byte[] probe = "capability-exporter".getBytes(StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The certificates of a PEM text, at least one. */
  static List<X509Certificate> certificates(String pem, String field) throws WebConfigException {
    Collection<? extends Certificate> read;
    try {
      read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new WebConfigException(
          field
              + ": not a PEM certificate ("
              + e.getMessage()
              + "): give BEGIN CERTIFICATE blocks");
    }
    if (read.isEmpty()) {
      throw new WebConfigException(
          field + ": holds no certificate: give PEM BEGIN CERTIFICATE blocks");
    }
    return read.stream().map(X509Certificate.class::cast).toList();
  }
}
