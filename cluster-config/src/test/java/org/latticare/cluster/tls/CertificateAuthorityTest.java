package org.latticare.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

  private static final Duration YEAR = Duration.ofDays(365);

  @TempDir
  Path dir;

  private TlsSettings settings(String nodeId, Path tlsDir, Optional<Path> devCa) {
    return new TlsSettings(true, nodeId, tlsDir.resolve(nodeId + ".p12"), tlsDir.resolve(nodeId + ".trust.p12"),
        tlsDir.resolve(nodeId + ".password"), devCa, List.of("localhost", "127.0.0.1"), Optional.empty());
  }

  @Test
  void issuedCertificatesChainToTheCaAndNameTheNode() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("Test CA", YEAR);
    CertificateAuthority.Issued issued = ca.issue("node-1", List.of("localhost", "127.0.0.1", "node-1"), YEAR);

    issued.certificate().verify(ca.certificate().getPublicKey());
    assertThat(issued.certificate().getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(issued.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=node-1");
    assertThat(issued.certificate().getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
        .containsExactly("node-1", "localhost", "127.0.0.1");
    assertThat(issued.certificate().getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).as("a CA that issues only end entities").isZero();
    assertThat(issued.certificate().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(issued.key().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void firstStartCreatesMaterialWhoseTrustStoreHoldsOnlyTheCa() throws Exception {
    TlsSettings settings = settings("node-1", dir.resolve("node-1/tls"), Optional.of(dir.resolve("tls-ca")));

    NodeTls tls = NodeTls.ensure(settings);

    assertThat(tls.trustAnchors()).containsExactly(tls.ca());
    assertThat(CertificateAuthority.load(dir.resolve("tls-ca")).certificate()).isEqualTo(tls.ca());
    tls.certificate().verify(tls.ca().getPublicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings.passwordFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls-ca/ca.password"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("tls-ca/ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(tls.sslContext().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void secondStartReusesTheMaterialAndNodesOfOneDevCaShareIt() throws Exception {
    Optional<Path> devCa = Optional.of(dir.resolve("tls-ca"));
    NodeTls first = NodeTls.ensure(settings("node-1", dir.resolve("node-1/tls"), devCa));
    byte[] keyStore = Files.readAllBytes(dir.resolve("node-1/tls/node-1.p12"));

    NodeTls again = NodeTls.ensure(settings("node-1", dir.resolve("node-1/tls"), devCa));
    NodeTls second = NodeTls.ensure(settings("node-2", dir.resolve("node-2/tls"), devCa));

    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(Files.readAllBytes(dir.resolve("node-1/tls/node-1.p12"))).isEqualTo(keyStore);
    assertThat(second.ca()).isEqualTo(first.ca());
    assertThat(second.certificate()).isNotEqualTo(first.certificate());
  }

  @Test
  void aKeyStoreIssuedByAnotherCaIsRefused() {
    CertificateAuthority consortium = CertificateAuthority.create("Consortium CA", YEAR);
    CertificateAuthority other = CertificateAuthority.create("Other CA", YEAR);
    Path tlsDir = dir.resolve("node-9/tls");
    TlsSettings settings = settings("node-9", tlsDir, Optional.empty());
    // a key store from another CA beside the consortium's trust store
    NodeTls.write(other.issue("node-9", List.of(), YEAR), settings.keyStore(), dir.resolve("unused.trust.p12"),
        settings.passwordFile());
    NodeTls.write(consortium.issue("node-9", List.of(), YEAR), dir.resolve("unused.p12"), settings.trustStore(),
        dir.resolve("unused.password"));
    // both stores must open with the node's password: re-encrypt the trust store under it
    rewriteWithPassword(settings.trustStore(), dir.resolve("unused.password"), settings.passwordFile());

    assertThatThrownBy(() -> NodeTls.ensure(settings))
        .isInstanceOfSatisfying(TlsException.class,
            e -> assertThat(e.problem()).isEqualTo(TlsException.Problem.TLS_FOREIGN_CA))
        .hasMessageContaining("Other CA").hasMessageContaining("Consortium CA");
  }

  @Test
  void missingOrPartialMaterialStopsTheNodeWithoutCreatingAnything() throws Exception {
    Path tlsDir = dir.resolve("node-1/tls");
    assertThatThrownBy(() -> NodeTls.ensure(settings("node-1", tlsDir, Optional.empty())))
        .isInstanceOfSatisfying(TlsException.class,
            e -> assertThat(e.problem()).isEqualTo(TlsException.Problem.TLS_MISSING));
    assertThat(tlsDir).doesNotExist();

    Files.createDirectories(tlsDir);
    Files.writeString(tlsDir.resolve("node-1.password"), "secret");
    assertThatThrownBy(() -> NodeTls.ensure(settings("node-1", tlsDir, Optional.of(dir.resolve("tls-ca")))))
        .isInstanceOfSatisfying(TlsException.class,
            e -> assertThat(e.problem()).isEqualTo(TlsException.Problem.TLS_INCOMPLETE));
    assertThat(dir.resolve("tls-ca")).doesNotExist();
  }

  @Test
  void aWrongPasswordIsReportedAsUnreadable() throws Exception {
    TlsSettings settings = settings("node-1", dir.resolve("tls"), Optional.of(dir.resolve("tls-ca")));
    NodeTls.ensure(settings);
    Files.delete(settings.passwordFile());
    Files.writeString(settings.passwordFile(), "not-the-password");

    assertThatThrownBy(() -> NodeTls.ensure(settings))
        .isInstanceOfSatisfying(TlsException.class,
            e -> assertThat(e.problem()).isEqualTo(TlsException.Problem.TLS_UNREADABLE));
  }

  @Test
  void aCaIsCreatedOnceAndNeverOverwritten() {
    CertificateAuthority.create("First", YEAR).save(dir);
    X509Certificate first = CertificateAuthority.load(dir).certificate();

    assertThatThrownBy(() -> CertificateAuthority.create("Second", YEAR).save(dir))
        .isInstanceOfSatisfying(TlsException.class,
            e -> assertThat(e.problem()).isEqualTo(TlsException.Problem.TLS_EXISTS));
    assertThat(CertificateAuthority.loadOrCreate(dir, "Third", YEAR).certificate()).isEqualTo(first);
  }

  private static void rewriteWithPassword(Path store, Path oldPassword, Path newPassword) {
    char[] old = Pkcs12.readPassword(oldPassword);
    char[] fresh = Pkcs12.readPassword(newPassword);
    var loaded = Pkcs12.load(store, old);
    try {
      Files.delete(store);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Pkcs12.store(loaded, store, fresh);
  }
}
