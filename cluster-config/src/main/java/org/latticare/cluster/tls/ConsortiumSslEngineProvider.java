package org.latticare.cluster.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import akka.actor.ActorSystem;
import akka.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * Artery's TLS ({@code transport = tls-tcp}) with the node's own material: TLS 1.3 only, both ends present a
 * certificate ({@code need} client authentication) and the only trust anchor is the consortium CA, so a node whose
 * certificate another CA issued fails the handshake and never joins.
 *
 * <p>Used instead of Akka's {@code ConfigSSLEngineProvider}, which wants the stores' passwords in the configuration
 * (where a configuration dump shows them); this one reads them from the password file beside the stores, and it
 * creates development material on first start, in whatever JVM builds the ActorSystem. Host names are not
 * verified (Akka's default too): pods' addresses change, and membership is decided by the CA.
 */
public final class ConsortiumSslEngineProvider implements SSLEngineProvider {

  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private final SSLContext context;

  /** Artery's constructor: reads {@code latticare.tls} from the system's configuration. */
  public ConsortiumSslEngineProvider(ActorSystem system) {
    this(NodeTls.ensure(TlsSettings.from(system.settings().config())).sslContext());
  }

  public ConsortiumSslEngineProvider(SSLContext context) {
    this.context = context;
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(true);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
