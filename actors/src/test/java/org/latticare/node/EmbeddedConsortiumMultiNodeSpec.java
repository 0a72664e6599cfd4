package org.latticare.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.client.ApiClient;

/** What {@code latticare up} runs: three nodes in this JVM, then a restart on the same data directory. */
class EmbeddedConsortiumMultiNodeSpec {

  private static final HttpClient CLIENT = ApiClient.httpClient();
  private static final Map<String, Object> TEST_CONFIG = Map.of("latticare.ring.pass-timeout", "2s");

  /**
   * A request to the consortium's front, signed by {@code id}: a client of the embedded consortium,
   * or a node (an operator) with its node key.
   */
  private static JsonNode call(EmbeddedConsortium consortium, Path dataDir, String id, String method, String path,
      String body) throws Exception {
    URI front = URI.create("http://127.0.0.1:" + consortium.front().binding().orElseThrow().localAddress().getPort());
    Path key = id.startsWith("node-") ? dataDir.resolve(id).resolve("node.key")
        : EmbeddedConsortium.clientKeys(dataDir).resolve(id + ".key");
    ApiClient client = new ApiClient(CLIENT, front, id, ConsortiumFiles.readKey(key));
    ApiClient.Answer answer = method.equals("GET") ? client.get(path) : client.post(path, body == null ? "" : body);
    assertThat(answer.status()).as("%s %s: %s", method, path, answer).isBetween(200, 299);
    return answer.body();
  }

  @Test
  void aRestartedConsortiumResumesItsChainAndASecondOneCannotShareTheDataDirectory() throws Exception {
    Path dataDir = Files.createTempDirectory("latticare-up");
    String hash;
    String anchorHash;
    long height;
    try (EmbeddedConsortium first = EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG,
        Duration.ofSeconds(60))) {
      assertThat(call(first, dataDir, "admin", "GET", "/health", null).get("membersUp").asInt()).isEqualTo(3);
      // verifiers register with the Receptionist asynchronously: the ring may form a moment after Up
      JsonNode cluster = call(first, dataDir, "admin", "GET", "/api/cluster", null);
      long ringDeadline = System.nanoTime() + 15_000_000_000L;
      while (cluster.get("ring").size() < 3 && System.nanoTime() < ringDeadline) {
        Thread.sleep(200);
        cluster = call(first, dataDir, "admin", "GET", "/api/cluster", null);
      }
      assertThat(cluster.get("members")).hasSize(3);
      assertThat(cluster.get("ring")).hasSize(3);
      assertThat(call(first, dataDir, "node-1", "POST", "/api/ring/ping", null).get("hops")).hasSize(3);
      MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve("admin.key"));
      Transaction enrol = Transaction.sign(admin, "admin", 1, System.currentTimeMillis(),
          new TxBody.PatientEnrolled("p-restart", new byte[] {1}, Sha3Hash.ZERO));
      Transaction anchor = Transaction.sign(admin, "admin", 2, System.currentTimeMillis(),
          new TxBody.PatientEnrolled("p-restart-2", new byte[] {2}, Sha3Hash.ZERO));
      call(first, dataDir, "admin", "POST", "/api/transactions", ApiClient.submitBody(enrol));
      JsonNode committed = call(first, dataDir, "admin", "POST", "/api/transactions", ApiClient.submitBody(anchor));
      height = committed.get("height").asLong();
      anchorHash = anchor.hash().hex();
      hash = call(first, dataDir, "admin", "GET", "/api/chain/head", null).get("hash").asText();
      assertThat(height).isEqualTo(2);

      assertThatThrownBy(() -> EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG, Duration.ofSeconds(10)))
          .isInstanceOf(Node.StartupException.class)
          .hasMessageContaining("in use by another node");
    }

    try (EmbeddedConsortium second = EmbeddedConsortium.start(3, dataDir, "127.0.0.1", 0, TEST_CONFIG,
        Duration.ofSeconds(60))) {
      JsonNode head = call(second, dataDir, "admin", "GET", "/api/chain/head", null);
      assertThat(head.get("height").asLong()).isEqualTo(height);
      assertThat(head.get("hash").asText()).isEqualTo(hash);
      assertThat(call(second, dataDir, "admin", "GET", "/api/transactions/" + anchorHash, null).get("height").asLong()).isEqualTo(2);
      assertThat(call(second, dataDir, "admin", "GET", "/api/cluster", null).get("members")).hasSize(3);
    }
  }
}
