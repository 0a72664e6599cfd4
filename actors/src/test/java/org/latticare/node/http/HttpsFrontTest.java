package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import akka.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.node.TestCluster;

/**
 * The front with {@code latticare.http.tls.enabled}: HTTPS with the node's certificate, which the consortium's CA
 * issued, so a client trusting that CA (and nothing else) gets through, and plain HTTP on the port does not.
 */
class HttpsFrontTest {

  private static TestCluster cluster;
  private static ServerBinding binding;
  private static SSLContext trustingTheConsortiumCa;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")),
        Map.of("latticare.http.tls.enabled", "on"));
    binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0,
        TestAuthenticator.asEachSubmitter()).toCompletableFuture().get(20, TimeUnit.SECONDS);
    Path tls = cluster.dataDir.resolve("node-1").resolve("tls");
    char[] password = Files.readString(tls.resolve("node-1.password")).strip().toCharArray();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.resolve("node-1.trust.p12"))) {
      trust.load(in, password);
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    trustingTheConsortiumCa = SSLContext.getInstance("TLS");
    trustingTheConsortiumCa.init(null, trustManagers.getTrustManagers(), null);
  }

  @AfterAll
  static void stop() {
    if (binding != null) {
      binding.unbind();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static HttpResponse<String> get(HttpClient client, String scheme) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(scheme + "://127.0.0.1:" + binding.localAddress().getPort() + "/health"))
        .timeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientTrustingTheConsortiumCaGetsAnswersOverHttps() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustingTheConsortiumCa)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> health = get(client, "https");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"up\"");
    assertThat(health.sslSession()).hasValueSatisfying(session -> {
      assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
      try {
        assertThat(((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName())
            .isEqualTo("CN=node-1");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void plainHttpToTheHttpsPortGetsNoAnswer() {
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> get(plain, "http")).isInstanceOf(IOException.class);
  }

  @Test
  void aClientTrustingOnlyPublicCasRefusesTheConsortiumsCertificate() {
    HttpClient publicTrust = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(() -> get(publicTrust, "https")).isInstanceOf(SSLHandshakeException.class);
  }
}
