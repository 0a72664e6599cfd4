package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.testkit.TestRoute;
import akka.http.javadsl.testkit.TestRouteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;

/**
 * Every endpoint through Akka HTTP's route testkit (no socket) on a one-node consortium: its success
 * and each refusal, with the status, the stable {@code code}, and a chain left unchanged by refused input.
 */
class ApiRoutesTest extends JupiterRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
  }

  @AfterAll
  static void stop() {
    cluster.shutdown();
  }

  @Override
  protected akka.actor.typed.ActorSystem<?> typedSystem() {
    return cluster.kits.get(0).system();
  }

  private TestRoute api() {
    return testRoute(new HttpFront(typedSystem(), cluster.nodes.get(0), TestAuthenticator.asEachSubmitter())
        .routes());
  }

  private static HttpRequest postJson(String path, String body) {
    return HttpRequest.POST(path).withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  private static JsonNode body(TestRouteResult result) {
    try {
      return JSON.readTree(result.entityString());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + result.entityString(), e);
    }
  }

  private long headHeight() {
    return body(api().run(HttpRequest.GET("/api/chain/head")).assertStatusCode(200)).get("height").asLong();
  }

  /** Asserts the answer is an ApiError with this status and code, and that the chain did not move. */
  private JsonNode assertRefused(HttpRequest request, int status, String code) {
    long before = headHeight();
    TestRouteResult result = api().run(request);
    assertThat(result.statusCode()).as(request + " " + result.entityString()).isEqualTo(status);
    assertThat(result.contentType()).isEqualTo(ContentTypes.APPLICATION_JSON);
    JsonNode error = body(result);
    assertThat(error.get("code").asText()).as(result.entityString()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(headHeight()).as("chain height after a refused " + request.method().name()).isEqualTo(before);
    return error;
  }

  private static String submitBody(Transaction tx) {
    return "{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
  }

  @Test
  void healthAndTheDocumentAreServed() {
    JsonNode health = body(api().run(HttpRequest.GET("/health")).assertStatusCode(200));
    assertThat(health.get("status").asText()).isEqualTo("up");
    assertThat(health.get("node").asText()).isEqualTo("node-1");
    JsonNode document = body(api().run(HttpRequest.GET("/api/openapi.json")).assertStatusCode(200));
    assertThat(document.get("openapi").asText()).startsWith("3.0");
  }

  @Test
  void openRoutesNeedNoCallerAndEveryOtherRouteDoes() {
    TestRoute locked = testRoute(new HttpFront(typedSystem(), cluster.nodes.get(0), TestAuthenticator.refusingAll())
        .routes());
    locked.run(HttpRequest.GET("/health")).assertStatusCode(200);
    locked.run(HttpRequest.GET("/api/openapi.json")).assertStatusCode(200);
    locked.run(HttpRequest.POST("/api/identity/nonces")).assertStatusCode(201);
    for (Endpoint endpoint : HttpFront.endpoints()) {
      if (HttpFront.OPEN.contains(endpoint)) {
        continue;
      }
      HttpRequest request = HttpRequest.create(endpoint.path().replaceAll("\\{[^}]+}", "x"))
          .withMethod(HttpMethods.lookup(endpoint.method()).orElseThrow());
      TestRouteResult result = locked.run(request);
      assertThat(result.statusCode()).as(endpoint.toString()).isEqualTo(401);
      assertThat(body(result).get("code").asText()).isEqualTo("UNAUTHENTICATED");
    }
  }

  @Test
  void clusterShowsMembersWithRolesAndTheRing() {
    JsonNode view = body(api().run(HttpRequest.GET("/api/cluster")).assertStatusCode(200));
    assertThat(view.get("members").get(0).get("roles")).extracting(JsonNode::asText)
        .containsExactly("front", "producer", "verifier");
    assertThat(view.get("members").get(0).get("reachable").asBoolean()).isTrue();
    assertThat(view.get("ring").get(0).get("nodeId").asText()).isEqualTo("node-1");
  }

  @Test
  void chainHeadAndBlocksAreReadableAndBadHeightsAreRefused() {
    JsonNode head = body(api().run(HttpRequest.GET("/api/chain/head")).assertStatusCode(200));
    assertThat(head.get("nodeId").asText()).isEqualTo("node-1");
    JsonNode genesis = body(api().run(HttpRequest.GET("/api/chain/blocks/0")).assertStatusCode(200));
    assertThat(genesis.get("height").asLong()).isZero();
    assertThat(genesis.get("transactionCount").asInt()).isEqualTo(genesis.get("transactions").size());

    assertRefused(HttpRequest.GET("/api/chain/blocks/999999"), 404, "NOT_FOUND");
    assertRefused(HttpRequest.GET("/api/chain/blocks/abc"), 400, "BAD_VALUE");
    assertRefused(HttpRequest.GET("/api/chain/blocks/-1"), 400, "BAD_VALUE");
    JsonNode wrongMethod = assertRefused(HttpRequest.DELETE("/api/chain/head"), 405, "METHOD_NOT_ALLOWED");
    assertThat(wrongMethod.get("message").asText()).contains("GET");
    assertThat(api().run(HttpRequest.PUT("/api/chain/head")).header(Allow.class).getMethods())
        .extracting(m -> m.name()).containsExactly("GET");
    assertRefused(HttpRequest.GET("/api/chain/tail"), 404, "NOT_FOUND");
    assertRefused(HttpRequest.GET("/api/nothing"), 404, "NOT_FOUND");
  }

  @Test
  void aCommittedTransactionIsFoundByHashBlockAndPatient() {
    MlDsa65.KeyPair admin = cluster.clientKey("admin");
    Transaction enrol = Transaction.sign(admin, "admin", 11, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-routes", new byte[] {1}, Sha3Hash.ZERO));
    TestRouteResult created = api().run(postJson("/api/transactions", submitBody(enrol))).assertStatusCode(201);
    JsonNode committed = body(created);
    assertThat(committed.get("outcome").asText()).isEqualTo("COMMITTED");
    assertThat(committed.get("transactionHash").asText()).isEqualTo(enrol.hash().hex());
    long height = committed.get("height").asLong();

    JsonNode found = body(api().run(HttpRequest.GET("/api/transactions/" + enrol.hash().hex())).assertStatusCode(200));
    assertThat(found.get("type").asText()).isEqualTo("PATIENT_ENROLLED");
    assertThat(found.get("body").get("pseudonym").asText()).isEqualTo("p-routes");
    assertThat(found.get("body").get("attributeRoot").asText()).isEqualTo(Sha3Hash.ZERO.hex());
    assertThat(found.get("height").asLong()).isEqualTo(height);
    assertThat(Base64.getDecoder().decode(found.get("encoded").asText())).isEqualTo(enrol.encode());

    JsonNode block = body(api().run(HttpRequest.GET("/api/chain/blocks/" + height)).assertStatusCode(200));
    assertThat(block.get("transactions")).extracting(tx -> tx.get("hash").asText()).contains(enrol.hash().hex());
    JsonNode patient = body(api().run(HttpRequest.GET("/api/patients/p-routes/transactions")).assertStatusCode(200));
    assertThat(patient.get("transactionHashes")).extracting(JsonNode::asText).containsExactly(enrol.hash().hex());

    // the same bytes again (a client whose answer was lost): where they committed
    JsonNode again = body(api().run(postJson("/api/transactions", submitBody(enrol))).assertStatusCode(201));
    assertThat(again.get("transactionHash").asText()).isEqualTo(enrol.hash().hex());
    assertThat(again.get("height").asLong()).isEqualTo(committed.get("height").asLong());
    // another body under the same nonce is a replay
    Transaction other = Transaction.sign(admin, "admin", 11, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-routes-2", new byte[] {1}, Sha3Hash.ZERO));
    JsonNode replay = assertRefused(postJson("/api/transactions", submitBody(other)), 400, "NONCE_REPLAYED");
    assertThat(replay.get("transactionHash").asText()).isEqualTo(other.hash().hex());
  }

  @Test
  void unknownTransactionsAndPatientsAreNotFoundOrEmpty() {
    assertRefused(HttpRequest.GET("/api/transactions/00ff"), 404, "NOT_FOUND");
    assertRefused(HttpRequest.GET("/api/patients/p-none/transactions"), 403, "NO_ACCESS");
    assertRefused(HttpRequest.POST("/api/patients/p-none/transactions"), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void submissionsTheBodyCannotCarryAreRefusedWithTheirCode() {
    assertRefused(postJson("/api/transactions", "{\"transaction\": "), 400, "MALFORMED_JSON");
    assertRefused(postJson("/api/transactions", "not json"), 400, "MALFORMED_JSON");
    assertRefused(postJson("/api/transactions", ""), 400, "MALFORMED_JSON");
    JsonNode unknown = assertRefused(postJson("/api/transactions", "{\"tx\": \"AAAA\"}"), 400, "UNKNOWN_FIELD");
    assertThat(unknown.get("message").asText()).contains("'tx'").contains("transaction");
    assertRefused(postJson("/api/transactions", "{\"transaction\": \"AAAA\", \"x\": 1}"), 400, "UNKNOWN_FIELD");
    assertRefused(postJson("/api/transactions", "{}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/transactions", "{\"transaction\": null}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/transactions", "{\"transaction\": \"@@@\"}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/transactions", "{\"transaction\": [1]}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/transactions", "[\"AAAA\"]"), 400, "BAD_VALUE");
    assertRefused(HttpRequest.POST("/api/transactions").withEntity(ContentTypes.TEXT_PLAIN_UTF8, "{}"),
        415, "UNSUPPORTED_MEDIA_TYPE");
    String huge = "{\"transaction\": \"" + "A".repeat(200 * 1024) + "\"}";
    assertRefused(postJson("/api/transactions", huge), 413, "BODY_TOO_LARGE");
    assertRefused(HttpRequest.GET("/api/transactions"), 405, "METHOD_NOT_ALLOWED");
    assertRefused(HttpRequest.PUT("/api/transactions/00ff"), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void transactionsTheLedgerRefusesCarryTheLedgersCodeAndHash() {
    MlDsa65.KeyPair admin = cluster.clientKey("admin");
    Transaction forged = Transaction.sign(MlDsa65.generate(), "admin", 500, 1,
        new TxBody.PatientEnrolled("p-x", new byte[] {1}, Sha3Hash.ZERO));
    Transaction stranger = Transaction.sign(MlDsa65.generate(), "nobody", 1, 1,
        new TxBody.PatientEnrolled("p-x", new byte[] {1}, Sha3Hash.ZERO));
    Transaction orphanRecord = Transaction.sign(admin, "admin", 501, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-x", "p-unknown", Sha3Hash.ZERO, 1, "chain", new byte[0]));

    assertRefused(postJson("/api/transactions", "{\"transaction\": \"AAAA\"}"), 400, "MALFORMED");
    assertThat(assertRefused(postJson("/api/transactions", submitBody(forged)), 400, "BAD_SIGNATURE")
        .get("transactionHash").asText()).isEqualTo(forged.hash().hex());
    assertRefused(postJson("/api/transactions", submitBody(stranger)), 400, "UNKNOWN_SUBMITTER");
    // An anchor of a record that no store holds is refused by the front, before the ledger sees it.
    assertThat(assertRefused(postJson("/api/transactions", submitBody(orphanRecord)), 409, "RECORD_NOT_STORED")
        .get("message").asText()).contains("r-x");
  }

  /** The verifier ring forms a moment after the cluster is Up; until then a ping is answered 503. */
  private TestRouteResult awaitRingFormed() {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (true) {
      TestRouteResult ping = api().run(HttpRequest.POST("/api/ring/ping"));
      if (ping.statusCode() != 503 || System.nanoTime() > deadline) {
        return ping.assertStatusCode(200);
      }
      assertThat(body(ping).get("code").asText()).isEqualTo("UNAVAILABLE");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void ringPingRunsOneOrSeveralPassesAndRefusesBadBodies() {
    JsonNode one = body(awaitRingFormed());
    assertThat(one.get("hops")).hasSize(1);
    assertThat(one.get("accumulatorVerified").asBoolean()).isTrue();
    assertThat(one.has("latenciesMicros")).isFalse();
    JsonNode three = body(api().run(postJson("/api/ring/ping", "{\"passes\": 3}")).assertStatusCode(200));
    assertThat(three.get("latenciesMicros")).hasSize(3);
    assertThat(three.get("passes").asInt()).isEqualTo(3);
    body(api().run(postJson("/api/ring/ping", "{}")).assertStatusCode(200));

    assertThat(assertRefused(postJson("/api/ring/ping", "{\"passes\": 100}"), 400, "BAD_VALUE")
        .get("message").asText()).contains("passes");
    assertRefused(postJson("/api/ring/ping", "{\"passes\": 0}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/ring/ping", "{\"passes\": \"3\"}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/ring/ping", "{\"passes\": 2.5}"), 400, "BAD_VALUE");
    assertRefused(postJson("/api/ring/ping", "{\"pases\": 3}"), 400, "UNKNOWN_FIELD");
    assertRefused(postJson("/api/ring/ping", "{passes: 3}"), 400, "MALFORMED_JSON");
    assertRefused(postJson("/api/ring/ping", "{\"passes\": " + " ".repeat(200 * 1024) + "1}"), 413, "BODY_TOO_LARGE");
    assertRefused(HttpRequest.GET("/api/ring/ping"), 405, "METHOD_NOT_ALLOWED");
  }
}
