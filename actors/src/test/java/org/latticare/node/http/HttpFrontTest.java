package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.MerkleTree;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;

/**
 * The JSON API of a one-node consortium over real HTTP on a loopback port: what the route testkit
 * cannot show (the server's parser, a streamed body over the limit) and one commit end to end.
 */
class HttpFrontTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestCluster cluster;
  private static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0,
            TestAuthenticator.asEachSubmitter())
        .toCompletableFuture().get();
    // the verifier registers with the Receptionist asynchronously: wait for the ring before testing it
    cluster.kits.get(0).createTestProbe().awaitAssert(Duration.ofSeconds(15), () -> {
      assertThat(send("GET", "/api/cluster", null).body().get("ring")).isNotEmpty();
      return null;
    });
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    cluster.shutdown();
  }

  private record Reply(int status, JsonNode body) {}

  private static Reply send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  @Test
  void healthIsUpOnceTheClusterAndChainAre() throws Exception {
    Reply health = send("GET", "/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().get("status").asText()).isEqualTo("up");
    assertThat(health.body().get("membersUp").asInt()).isEqualTo(1);
  }

  @Test
  void clusterShowsMembersWithRolesAndTheRing() throws Exception {
    Reply cluster = send("GET", "/api/cluster", null);
    assertThat(cluster.status()).isEqualTo(200);
    JsonNode member = cluster.body().get("members").get(0);
    assertThat(member.get("status").asText()).isEqualTo("Up");
    assertThat(member.get("roles")).extracting(JsonNode::asText).containsExactly("front", "producer", "verifier");
    assertThat(cluster.body().get("ring").get(0).get("nodeId").asText()).isEqualTo("node-1");
  }

  @Test
  void ringPingReturnsOneHopPerVerifierWithAVerifiedAccumulator() throws Exception {
    Reply ping = send("POST", "/api/ring/ping", null);
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.body().get("hops")).hasSize(1);
    assertThat(ping.body().get("accumulatorVerified").asBoolean()).isTrue();
    assertThat(ping.body().get("latencyMicros").asLong()).isPositive();

    Reply several = send("POST", "/api/ring/ping", "{\"passes\": 3}");
    assertThat(several.body().get("latenciesMicros")).hasSize(3);
  }

  private static String submitBody(Transaction tx) {
    return "{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
  }

  @Test
  void aCommittedTransactionIsOnChainWithItsProofAndBadInputChangesNothing() throws Exception {
    MlDsa65.KeyPair admin = cluster.clientKey("admin");
    long before = send("GET", "/api/chain/head", null).body().get("height").asLong();

    Transaction forged = Transaction.sign(MlDsa65.generate(), "admin", 500, 1,
        new TxBody.PatientEnrolled("p-x", new byte[] {1}, Sha3Hash.ZERO));
    Transaction stranger = Transaction.sign(MlDsa65.generate(), "nobody", 1, 1,
        new TxBody.PatientEnrolled("p-x", new byte[] {1}, Sha3Hash.ZERO));
    Transaction orphanRecord = Transaction.sign(admin, "admin", 501, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-x", "p-unknown", Sha3Hash.ZERO, 1, "chain", new byte[0]));
    Map<String, String> refused = Map.of(
        "{\"transaction\": \"@@@\"}", "BAD_VALUE",
        "{\"transaction\": \"AAAA\"}", "MALFORMED",
        "{\"transaction\": 5}", "BAD_VALUE",
        "{\"tx\": \"AAAA\"}", "UNKNOWN_FIELD",
        "{\"transaction\": ", "MALFORMED_JSON",
        submitBody(forged), "BAD_SIGNATURE",
        submitBody(stranger), "UNKNOWN_SUBMITTER",
        submitBody(orphanRecord), "RECORD_NOT_STORED");
    for (Map.Entry<String, String> bad : refused.entrySet()) {
      Reply reply = send("POST", "/api/transactions", bad.getKey());
      assertThat(reply.status()).as(bad.getKey()).isEqualTo(bad.getValue().equals("RECORD_NOT_STORED") ? 409 : 400);
      assertThat(reply.body().get("code").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
    }
    assertThat(send("GET", "/api/chain/head", null).body().get("height").asLong()).isEqualTo(before);

    Transaction enrol = Transaction.sign(admin, "admin", 1, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-http", new byte[] {1}, Sha3Hash.ZERO));
    Reply created = send("POST", "/api/transactions", submitBody(enrol));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("transactionHash").asText()).isEqualTo(enrol.hash().hex());
    long height = created.body().get("height").asLong();
    assertThat(height).isGreaterThan(before);

    JsonNode onChain = send("GET", "/api/transactions/" + enrol.hash().hex(), null).body();
    assertThat(onChain.get("type").asText()).isEqualTo("PATIENT_ENROLLED");
    assertThat(onChain.get("body").get("pseudonym").asText()).isEqualTo("p-http");
    assertThat(onChain.get("height").asLong()).isEqualTo(height);
    List<MerkleTree.Step> proof = new java.util.ArrayList<>();
    onChain.get("merkleProof").forEach(step -> proof.add(new MerkleTree.Step(
        Sha3Hash.fromHex(step.get("sibling").asText()), step.get("siblingOnLeft").asBoolean())));
    assertThat(MerkleTree.verify(MerkleTree.leaf(enrol.encode()), proof,
        Sha3Hash.fromHex(onChain.get("merkleRoot").asText()))).isTrue();

    JsonNode block = send("GET", "/api/chain/blocks/" + height, null).body();
    assertThat(block.get("transactions").get(0).get("hash").asText()).isEqualTo(enrol.hash().hex());
    JsonNode patient = send("GET", "/api/patients/p-http/transactions", null).body();
    assertThat(patient.get("transactionHashes")).extracting(JsonNode::asText).containsExactly(enrol.hash().hex());

    Reply again = send("POST", "/api/transactions", submitBody(enrol));
    assertThat(again.status()).as("the same bytes again are answered with where they committed").isEqualTo(201);
    assertThat(again.body().get("height").asLong()).isEqualTo(height);
    Transaction other = Transaction.sign(admin, "admin", 1, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-http-2", new byte[] {1}, Sha3Hash.ZERO));
    Reply replay = send("POST", "/api/transactions", submitBody(other));
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.body().get("code").asText()).isEqualTo("NONCE_REPLAYED");
    assertThat(replay.body().get("transactionHash").asText()).isEqualTo(other.hash().hex());
  }

  private static void assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
    assertThat(reply.body().get("code").asText()).isEqualTo(code);
    assertThat(reply.body().get("message").asText()).isNotBlank();
  }

  @Test
  void unknownPathsMethodsAndValuesGetClearErrors() throws Exception {
    assertError(send("GET", "/api/nothing", null), 404, "NOT_FOUND");
    assertError(send("DELETE", "/api/chain/head", null), 405, "METHOD_NOT_ALLOWED");
    assertError(send("GET", "/api/chain/blocks/999999", null), 404, "NOT_FOUND");
    assertError(send("GET", "/api/transactions/00ff", null), 404, "NOT_FOUND");
    Reply badPasses = send("POST", "/api/ring/ping", "{\"passes\": 100}");
    assertError(badPasses, 400, "BAD_VALUE");
    assertThat(badPasses.body().get("message").asText()).contains("passes");
  }

  @Test
  void aStreamedBodyOverTheLimitIsRefusedAndChangesNothing() throws Exception {
    long before = send("GET", "/api/chain/head", null).body().get("height").asLong();
    String huge = "{\"transaction\": \"" + "A".repeat(200 * 1024) + "\"}";
    assertError(send("POST", "/api/transactions", huge), 413, "BODY_TOO_LARGE");
    assertThat(send("GET", "/api/chain/head", null).body().get("height").asLong()).isEqualTo(before);
  }

  @Test
  void requestsTheParserRefusesAreJsonErrorsToo() throws Exception {
    Reply tooLong = send("GET", "/api/patients/" + "p".repeat(4096) + "/transactions", null);
    assertThat(tooLong.status()).isEqualTo(414);
    assertThat(tooLong.body().get("code").asText()).isEqualTo("BAD_VALUE");
  }
}
