package org.latticare.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;

/** What {@code latticare up} runs: three nodes in this JVM, then a restart on the same data directory. */
class EmbeddedConsortiumMultiNodeSpec {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Map<String, Object> TEST_CONFIG = Map.of("latticare.ring.pass-timeout", "2s");

  private static JsonNode call(EmbeddedConsortium consortium, String method, String path, String body)
      throws Exception {
    int port = consortium.front().binding().orElseThrow().localAddress().getPort();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  private static String body(Transaction tx) {
    return "{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
  }

  @Test
  void aRestartedConsortiumResumesItsChainAndASecondOneCannotShareTheDataDirectory() throws Exception {
    Path dataDir = Files.createTempDirectory("latticare-up");
    String hash;
    String anchorHash;
    long height;
    try (EmbeddedConsortium first = EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG,
        Duration.ofSeconds(60))) {
      assertThat(call(first, "GET", "/health", null).get("membersUp").asInt()).isEqualTo(3);
      JsonNode cluster = call(first, "GET", "/api/cluster", null);
      assertThat(cluster.get("members")).hasSize(3);
      assertThat(cluster.get("ring")).hasSize(3);
      assertThat(call(first, "POST", "/api/ring/ping", null).get("hops")).hasSize(3);
      MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve("admin.key"));
      Transaction enrol = Transaction.sign(admin, "admin", 1, System.currentTimeMillis(),
          new TxBody.PatientEnrolled("p-restart", new byte[] {1}, Sha3Hash.ZERO));
      Transaction anchor = Transaction.sign(admin, "admin", 2, System.currentTimeMillis(),
          new TxBody.RecordAnchored("r-restart", "p-restart", Sha3Hash.ZERO, 1, "chain", new byte[] {2}));
      call(first, "POST", "/api/transactions", body(enrol));
      JsonNode committed = call(first, "POST", "/api/transactions", body(anchor));
      height = committed.get("height").asLong();
      anchorHash = anchor.hash().hex();
      hash = call(first, "GET", "/api/chain/head", null).get("hash").asText();
      assertThat(height).isEqualTo(2);

      assertThatThrownBy(() -> EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG, Duration.ofSeconds(10)))
          .isInstanceOf(Node.StartupException.class)
          .hasMessageContaining("in use by another node");
    }

    try (EmbeddedConsortium second = EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG,
        Duration.ofSeconds(60))) {
      JsonNode head = call(second, "GET", "/api/chain/head", null);
      assertThat(head.get("height").asLong()).isEqualTo(height);
      assertThat(head.get("hash").asText()).isEqualTo(hash);
      assertThat(call(second, "GET", "/api/transactions/" + anchorHash, null).get("height").asLong()).isEqualTo(2);
      assertThat(call(second, "GET", "/api/cluster", null).get("members")).hasSize(3);
    }
  }
}
