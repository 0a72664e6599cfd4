package org.latticare.cluster.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * The {@code latticare.tls} and {@code latticare.http.tls} sections, read once.
 *
 * @param artery Artery runs over TLS ({@code akka.remote.artery.transport = tls-tcp}) with this node's material
 * @param keyStore this node's key and certificate chain (PKCS12)
 * @param trustStore the consortium CA's certificate, the only trust anchor (PKCS12)
 * @param passwordFile the password of both stores
 * @param devCaDir where a development CA is kept when this node creates its own material; empty: never create
 * @param hosts names and addresses a created certificate lists, besides the node id
 * @param https the HTTP front's key store and password file when it serves HTTPS
 */
public record TlsSettings(
    boolean artery,
    String nodeId,
    Path keyStore,
    Path trustStore,
    Path passwordFile,
    Optional<Path> devCaDir,
    List<String> hosts,
    Optional<Https> https) {

  public static final String TLS_TRANSPORT = "tls-tcp";

  /** The front's HTTPS: a key store (by default this node's own) and its password file. */
  public record Https(Path keyStore, Path passwordFile) {}

  public TlsSettings {
    hosts = List.copyOf(hosts);
  }

  public static TlsSettings from(Config config) {
    Config tls = config.getConfig("latticare.tls");
    String transport = config.getString("akka.remote.artery.transport");
    String devCa = tls.getString("dev-ca-dir");
    Config http = config.getConfig("latticare.http.tls");
    return new TlsSettings(
        transport.equals(TLS_TRANSPORT),
        config.getString("latticare.node-id"),
        Path.of(tls.getString("key-store")),
        Path.of(tls.getString("trust-store")),
        Path.of(tls.getString("password-file")),
        devCa.isBlank() ? Optional.empty() : Optional.of(Path.of(devCa).normalize()),
        tls.getStringList("hosts"),
        http.getBoolean("enabled")
            ? Optional.of(new Https(Path.of(http.getString("key-store")), Path.of(http.getString("password-file"))))
            : Optional.empty());
  }

  /** Artery or the front reads this node's own stores, which must then exist (or be created). */
  public boolean needsNodeStores() {
    return artery || https.filter(h -> h.keyStore().equals(keyStore)).isPresent();
  }
}
