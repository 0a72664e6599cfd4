package org.latticare.cluster.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's TLS material, loaded and checked: its key store (its key, its certificate and the CA's), the trust store
 * (the consortium CA's certificate and nothing else) and the password of both, in a file beside them.
 *
 * <p>Checked when loaded, so that a wrong file stops the node at start with a {@link TlsException} instead of
 * failing every handshake later: the key store holds one key, its certificate is signed by the trust store's CA and
 * both are valid now.
 */
public final class NodeTls {

  /** Development material lasts long enough never to expire under a developer's feet. */
  static final Duration DEV_VALIDITY = Duration.ofDays(825);
  static final String KEY_ALIAS = "node";
  static final String CA_ALIAS = "consortium-ca";

  private final KeyStore keyStore;
  private final KeyStore trustStore;
  private final char[] password;
  private final X509Certificate certificate;
  private final X509Certificate ca;

  private NodeTls(KeyStore keyStore, KeyStore trustStore, char[] password, X509Certificate certificate,
      X509Certificate ca) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.password = password;
    this.certificate = certificate;
    this.ca = ca;
  }

  /**
   * This node's material as configured. When none of the three files exists and a development CA is configured,
   * creates them first: the CA (once, shared by the nodes that name the same directory) issues this node's
   * certificate. Material that exists is never replaced.
   */
  public static NodeTls ensure(TlsSettings settings) {
    List<Path> files = List.of(settings.keyStore(), settings.trustStore(), settings.passwordFile());
    long present = files.stream().filter(Files::exists).count();
    if (present == 0) {
      Path devCa = settings.devCaDir().orElseThrow(() -> new TlsException(TlsException.Problem.TLS_MISSING,
          "node " + settings.nodeId() + " has no TLS material at " + files + "; issue it with `latticare tls node`"
              + " (see the README) or set latticare.tls.dev-ca-dir for a development CA", null));
      // a random suffix tells two development CAs apart in a TLS_FOREIGN_CA message
      CertificateAuthority authority = CertificateAuthority.loadOrCreate(devCa, "Latticare development CA "
          + HexFormat.of().toHexDigits(new SecureRandom().nextInt()), DEV_VALIDITY);
      write(authority.issue(settings.nodeId(), settings.hosts(), DEV_VALIDITY), settings.keyStore(),
          settings.trustStore(), settings.passwordFile());
    } else if (present < files.size()) {
      throw new TlsException(TlsException.Problem.TLS_INCOMPLETE, "node " + settings.nodeId() + " has only some of its"
          + " TLS files: " + files.stream().map(f -> f + (Files.exists(f) ? "" : " (missing)")).toList(), null);
    }
    return load(settings.keyStore(), settings.trustStore(), settings.passwordFile());
  }

  /** Writes an issued certificate as a key store, a trust store holding only its CA, and their new password. */
  public static void write(CertificateAuthority.Issued issued, Path keyStore, Path trustStore, Path passwordFile) {
    for (Path file : List.of(keyStore, trustStore, passwordFile)) {
      if (Files.exists(file)) {
        throw new TlsException(TlsException.Problem.TLS_EXISTS, file.toAbsolutePath() + " exists; TLS material is"
            + " never overwritten (remove it first to replace it)", null);
      }
    }
    char[] password = Pkcs12.newPassword();
    KeyStore keys = Pkcs12.empty();
    KeyStore trust = Pkcs12.empty();
    try {
      keys.setKeyEntry(KEY_ALIAS, issued.key(), password, new Certificate[] {issued.certificate(), issued.ca()});
      trust.setCertificateEntry(CA_ALIAS, issued.ca());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot store a node key", e);
    }
    Pkcs12.writePassword(passwordFile, password);
    Pkcs12.store(trust, trustStore, password);
    Pkcs12.store(keys, keyStore, password);
  }

  /** Loads and checks existing material (see the class comment). */
  public static NodeTls load(Path keyStorePath, Path trustStorePath, Path passwordFile) {
    char[] password = Pkcs12.readPassword(passwordFile);
    KeyStore keys = Pkcs12.load(keyStorePath, password);
    KeyStore trust = Pkcs12.load(trustStorePath, password);
    try {
      List<String> keyAliases = aliases(keys).stream().filter(a -> isKey(keys, a)).toList();
      if (keyAliases.size() != 1 || !(keys.getCertificate(keyAliases.get(0)) instanceof X509Certificate certificate)) {
        throw new TlsException(TlsException.Problem.TLS_KEY_STORE, keyStorePath.toAbsolutePath() + " must hold"
            + " exactly one key with its certificate; it holds " + keyAliases.size(), null);
      }
      List<String> trusted = aliases(trust);
      if (trusted.size() != 1 || !trust.isCertificateEntry(trusted.get(0))
          || !(trust.getCertificate(trusted.get(0)) instanceof X509Certificate ca)) {
        throw new TlsException(TlsException.Problem.TLS_TRUST_STORE, trustStorePath.toAbsolutePath() + " must hold"
            + " exactly the consortium CA's certificate; it holds " + trusted.size() + " entries", null);
      }
      try {
        certificate.verify(ca.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new TlsException(TlsException.Problem.TLS_FOREIGN_CA, "the certificate in "
            + keyStorePath.toAbsolutePath() + " (" + certificate.getSubjectX500Principal().getName() + ", issued by "
            + certificate.getIssuerX500Principal().getName() + ") is not signed by the consortium CA in "
            + trustStorePath.toAbsolutePath() + " (" + ca.getSubjectX500Principal().getName() + ")", e);
      }
      for (X509Certificate checked : List.of(certificate, ca)) {
        try {
          checked.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
          throw new TlsException(TlsException.Problem.TLS_EXPIRED, checked.getSubjectX500Principal().getName()
              + " is valid only from " + checked.getNotBefore() + " to " + checked.getNotAfter(), e);
        }
      }
      return new NodeTls(keys, trust, password, certificate, ca);
    } catch (GeneralSecurityException e) {
      throw new TlsException(TlsException.Problem.TLS_UNREADABLE, "cannot read " + keyStorePath.toAbsolutePath()
          + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The HTTPS front's context: its key store (this node's own by default, created first if need be, or any store
   * holding one key) and no trust store, since HTTP clients prove who they are by signing requests, not with TLS.
   */
  public static SSLContext httpsContext(TlsSettings settings) {
    TlsSettings.Https https = settings.https().orElseThrow(() -> new IllegalArgumentException("HTTPS is off"));
    if (settings.needsNodeStores()) {
      ensure(settings);
    }
    char[] password = Pkcs12.readPassword(https.passwordFile());
    return context(keyManagers(Pkcs12.load(https.keyStore(), password), password), null);
  }

  /** TLS 1.3 with this node's key, trusting the consortium CA alone (not the JDK's public CAs). */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore);
      return context(keyManagers(keyStore, password), trust);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the TLS context", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public X509Certificate ca() {
    return ca;
  }

  /** The certificates the trust store holds (exactly the CA's, once loaded). */
  public List<X509Certificate> trustAnchors() {
    return aliases(trustStore).stream().map(alias -> {
      try {
        return (X509Certificate) trustStore.getCertificate(alias);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static List<String> aliases(KeyStore store) {
    try {
      return Collections.list(store.aliases());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a loaded key store cannot list its entries", e);
    }
  }

  private static boolean isKey(KeyStore store, String alias) {
    try {
      return store.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a loaded key store cannot read its entries", e);
    }
  }

  private static KeyManager[] keyManagers(KeyStore store, char[] password) {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new TlsException(TlsException.Problem.TLS_UNREADABLE, "the key store's key does not open with its"
          + " password (" + e.getMessage() + ")", e);
    }
  }

  private static SSLContext context(KeyManager[] keys, TrustManagerFactory trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keys, trust == null ? null : trust.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS 1.3", e);
    }
  }
}
