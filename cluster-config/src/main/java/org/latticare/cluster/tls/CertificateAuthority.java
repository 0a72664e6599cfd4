package org.latticare.cluster.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The consortium's certificate authority: an EC P-256 key and its self-signed certificate, the only trust anchor
 * of every node's TLS, which issues each node's certificate. Certificates are built with Bouncy Castle and signed
 * with the JDK's own ECDSA, so no provider needs registering.
 *
 * <p>Why EC P-256 and not ML-DSA: JDK 17's TLS 1.3 signs handshakes only with RSA, RSASSA-PSS, ECDSA and EdDSA
 * schemes; a post-quantum certificate cannot be used by its TLS stack. The ledger's own signatures stay ML-DSA-65;
 * TLS protects the links between nodes, and its ECDHE key exchange is classical too.
 *
 * <p>On disk (a directory): {@code ca.p12} (key and certificate), {@code ca.password} (mode 600) and {@code ca.crt}
 * (the certificate in PEM, for clients that trust the HTTPS front).
 */
public final class CertificateAuthority {

  public static final String STORE = "ca.p12";
  public static final String PASSWORD = "ca.password";
  public static final String CERTIFICATE_PEM = "ca.crt";
  private static final String ALIAS = "consortium-ca";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrivateKey key;
  private final X509Certificate certificate;

  private CertificateAuthority(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /** A node's key and certificate, with the certificate of the CA that issued it. */
  public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate ca) {}

  /** A new CA named {@code CN=<name>}, valid from now for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair pair = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(subject, subject, validity, pair.getPublic())
          // issues node certificates only, never another CA
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(pair.getPrivate(), sign(builder, pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate", e);
    }
  }

  /**
   * A node certificate: {@code CN=<nodeId>}, the node id and {@code hosts} (names or IP literals) as subject
   * alternative names, for both ends of a TLS connection (Artery connects both ways).
   */
  public Issued issue(String nodeId, Collection<String> hosts, Duration validity) {
    KeyPair pair = newKeyPair();
    Set<String> names = new LinkedHashSet<>();
    names.add(nodeId);
    hosts.stream().filter(h -> !h.isBlank()).forEach(names::add);
    List<GeneralName> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add(IPAddress.isValid(name)
          ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
          new X500Name("CN=" + nodeId), validity, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(alternatives.toArray(GeneralName[]::new)))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      return new Issued(pair.getPrivate(), sign(builder, key), certificate);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + nodeId, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes {@code ca.p12}, {@code ca.password} and {@code ca.crt} into {@code dir}; refuses to overwrite. */
  public void save(Path dir) {
    if (Files.exists(dir.resolve(STORE))) {
      throw new TlsException(TlsException.Problem.TLS_EXISTS, dir.resolve(STORE).toAbsolutePath()
          + " exists; a CA is created once (choose another directory)", null);
    }
    char[] password = Pkcs12.newPassword();
    KeyStore store = Pkcs12.empty();
    try {
      store.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate});
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot store the CA key", e);
    }
    Pkcs12.writePassword(dir.resolve(PASSWORD), password);
    Pkcs12.store(store, dir.resolve(STORE), password);
    try {
      Files.writeString(dir.resolve(CERTIFICATE_PEM), pem(certificate), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(CERTIFICATE_PEM), e);
    }
  }

  /** The CA saved in {@code dir} by {@link #save}. */
  public static CertificateAuthority load(Path dir) {
    char[] password = Pkcs12.readPassword(dir.resolve(PASSWORD));
    KeyStore store = Pkcs12.load(dir.resolve(STORE), password);
    try {
      if (!(store.getKey(ALIAS, password) instanceof PrivateKey key)
          || !(store.getCertificate(ALIAS) instanceof X509Certificate certificate)) {
        throw new TlsException(TlsException.Problem.TLS_KEY_STORE, dir.resolve(STORE).toAbsolutePath()
            + " holds no CA key '" + ALIAS + "'", null);
      }
      return new CertificateAuthority(key, certificate);
    } catch (GeneralSecurityException e) {
      throw new TlsException(TlsException.Problem.TLS_UNREADABLE, "cannot read the CA key in "
          + dir.resolve(STORE).toAbsolutePath() + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The development CA in {@code dir}, created on first use. Nodes starting at once (several JVMs) may race:
   * each builds a CA in a directory of its own and renames it into place; the rename is atomic and fails when
   * another node's CA is there already, and the loser then uses that one, so all share one CA.
   */
  public static CertificateAuthority loadOrCreate(Path dir, String name, Duration validity) {
    if (Files.exists(dir.resolve(STORE))) {
      return load(dir);
    }
    Path target = dir.toAbsolutePath().normalize();
    Path draft = target.resolveSibling("." + target.getFileName() + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong()));
    create(name, validity).save(draft);
    try {
      Files.move(draft, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      deleteQuietly(draft);
      if (!Files.exists(target.resolve(STORE))) {
        throw new UncheckedIOException("cannot create the development CA in " + target, e);
      }
    } catch (IOException e) {
      deleteQuietly(draft);
      throw new UncheckedIOException("cannot create the development CA in " + target, e);
    }
    return load(target);
  }

  /** The certificate in PEM, as {@code curl --cacert} and most tools read it. */
  public static String pem(X509Certificate certificate) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Duration validity,
      PublicKey publicKey) {
    Instant now = Instant.now();
    // a minute back: a peer whose clock is slightly behind still accepts a certificate made just now
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM), Date.from(now.minusSeconds(60)),
        Date.from(now.plus(validity)), subject, publicKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a stray draft directory beside the CA holds nothing anyone reads
    }
  }
}
