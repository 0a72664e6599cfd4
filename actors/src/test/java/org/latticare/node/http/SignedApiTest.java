package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.LatticareNode;
import org.latticare.node.TestCluster;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.Eventually;
import org.latticare.node.client.RecordClient;
import org.latticare.node.http.auth.RequestSigner;

/**
 * The front as deployed: real RFC 9421 signatures checked against identities enrolled on chain, over a
 * loopback socket to a one-node consortium. Every request but the two open ones is refused unsigned,
 * stale, replayed, tampered, under an unknown key or another identity's key, each with its code and
 * the chain unchanged; roles are enforced by the front where it decides and by the contracts where
 * they do; an escalation is refused and a quorum-approved enrolment accepted.
 */
class SignedApiTest {

  private static final HttpClient HTTP = ApiClient.httpClient();
  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());
  private static TestCluster cluster;
  private static URI front;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    front = cluster.serveHttp(0);
  }

  @AfterAll
  static void stop() {
    cluster.shutdown();
  }

  private static ApiClient as(String id) {
    return new ApiClient(HTTP, front, id, cluster.clientKey(id));
  }

  private static ApiClient operator() {
    return new ApiClient(HTTP, front, "node-1", ConsortiumFiles.readKey(cluster.dataDir.resolve("node-1").resolve("node.key")));
  }

  private static Transaction tx(String id, TxBody body) {
    return Transaction.sign(cluster.clientKey(id), id, NONCES.incrementAndGet(), System.currentTimeMillis(), body);
  }

  private static long height() throws Exception {
    Answer head = as("admin").get("/api/chain/head");
    assertThat(head.status()).isEqualTo(200);
    return head.body().get("height").asLong();
  }

  private static String example(Endpoint endpoint) {
    return endpoint.path().replace("{height}", "0").replace("{hash}", "00".repeat(32)).replace("{pseudonym}", "p-1")
        .replace("{recordId}", "r-1").replace("{index}", "0").replace("{granteeId}", "p-1")
        .replace("{identityId}", "admin").replaceAll("\\{[a-zA-Z]+}", "x");
  }

  @Test
  void onlyHealthTheOpenApiDocumentAndTheProofLoginAnswerWithoutASignature() throws Exception {
    assertThat(HttpFront.OPEN).extracting(Endpoint::path).containsExactlyInAnyOrder("/health", "/api/openapi.json",
        "/api/identity/nonces", "/api/identity/tokens");
    for (Endpoint endpoint : HttpFront.endpoints()) {
      HttpRequest unsigned = HttpRequest.newBuilder(front.resolve(example(endpoint))).header("Content-Type", "application/json")
          .method(endpoint.method(), endpoint.method().equals("GET") ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString("{}")).build();
      Answer answer = as("admin").send(unsigned);
      if (endpoint.path().equals("/health") || endpoint.path().equals("/api/openapi.json")) {
        assertThat(answer.status()).as(endpoint.toString()).isIn(200, 503);
      } else if (HttpFront.OPEN.contains(endpoint)) {
        assertThat(answer.status()).as("%s: the proof is the credential", endpoint).isIn(201, 400);
      } else {
        assertThat(answer.status()).as(endpoint.toString()).isEqualTo(401);
        assertThat(answer.code()).as(endpoint.toString()).isEqualTo("UNSIGNED");
      }
    }
  }

  @Test
  void aSignedRequestReachesEveryEndpointItsRoleMayUse() throws Exception {
    ApiClient admin = as("admin");
    Answer committed = admin.submit(tx("admin", new TxBody.PatientEnrolled("p-signed", new byte[] {1}, Sha3Hash.ZERO)));
    assertThat(committed.status()).as(committed.toString()).isEqualTo(201);
    assertThat(admin.get("/api/cluster").status()).isEqualTo(200);
    assertThat(admin.get("/api/chain/blocks/0").status()).isEqualTo(200);
    assertThat(admin.get("/api/transactions/" + committed.body().get("transactionHash").asText()).status()).isEqualTo(200);
    Answer ring = operator().post("/api/ring/ping", "{}");
    assertThat(ring.status()).as(ring.toString()).isIn(200, 503);
    Answer notOperator = as("clinician").post("/api/ring/ping", "{}");
    assertThat(notOperator.status()).isEqualTo(403);
    assertThat(notOperator.code()).isEqualTo("ROLE_NOT_ALLOWED");
  }

  @Test
  void staleReplayedTamperedAndForeignSignaturesAreRefusedAndChangeNothing() throws Exception {
    ApiClient admin = as("admin");
    long before = height();
    String body = ApiClient.submitBody(tx("admin", new TxBody.PatientEnrolled("p-stale", new byte[] {1}, Sha3Hash.ZERO)));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    URI target = front.resolve("/api/transactions");

    RequestSigner late = new RequestSigner("admin", cluster.clientKey("admin"),
        Clock.fixed(Instant.now().minus(Duration.ofMinutes(2)), ZoneOffset.UTC), RequestSigner::randomNonce);
    assertRefused(admin.send(late.request("POST", target, bytes, "application/json").build()), "STALE");

    RequestSigner.SignedHeaders headers = new RequestSigner("admin", cluster.clientKey("admin")).sign("POST", target, bytes);
    HttpRequest.Builder tampered = HttpRequest.newBuilder(target).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.replace("\"}", "AA\"}")));
    headers.asMap().forEach(tampered::header);
    assertRefused(admin.send(tampered.build()), "DIGEST_MISMATCH");

    ApiClient stranger = new ApiClient(HTTP, front, "nobody", MlDsa65.generate());
    assertRefused(stranger.post("/api/transactions", body), "UNKNOWN_KEY");
    ApiClient impostor = new ApiClient(HTTP, front, "admin", MlDsa65.generate());
    assertRefused(impostor.post("/api/transactions", body), "BAD_SIGNATURE");
    assertThat(height()).isEqualTo(before);

    HttpRequest once = admin.signed("POST", "/api/transactions", bytes);
    assertThat(admin.send(once).status()).isEqualTo(201);
    long after = height();
    assertRefused(admin.send(once), "REPLAYED");
    assertThat(height()).isEqualTo(after).isEqualTo(before + 1);
  }

  @Test
  void aTransactionIsSubmittedOnlyByItsOwnSubmitterAndTheContractsEnforceRoles() throws Exception {
    long before = height();
    Answer relayed = as("admin").submit(tx("clinician", new TxBody.RecordErased("r-none")));
    assertThat(relayed.status()).isEqualTo(403);
    assertThat(relayed.code()).isEqualTo("NOT_THE_SUBMITTER");
    Answer wrongRole = as("researcher").submit(tx("researcher", new TxBody.PatientEnrolled("p-r", new byte[] {1}, Sha3Hash.ZERO)));
    assertThat(wrongRole.status()).isEqualTo(400);
    assertThat(wrongRole.code()).isEqualTo("ROLE_NOT_ALLOWED");
    assertThat(height()).isEqualTo(before);
  }

  @Test
  void anEscalationIsRefusedAndAQuorumApprovedOperatorEnrolmentAccepted() throws Exception {
    long before = height();
    MlDsa65.KeyPair mallory = MlDsa65.generate();
    TxBody.Identity operator = new TxBody.Identity("mallory", "operator", "hospital-1", mallory.publicKey());
    Answer enrolled = as("admin").submit(tx("admin", new TxBody.IdentityEnrolled(operator)));
    assertThat(enrolled.status()).isEqualTo(400);
    assertThat(enrolled.code()).isEqualTo("QUORUM_REQUIRED");
    Transaction unsignedVerdicts = Transaction.sign(ConsortiumFiles.readKey(cluster.dataDir.resolve("node-1").resolve("node.key")),
        "node-1", NONCES.incrementAndGet(), System.currentTimeMillis(),
        new TxBody.IdentityVerifiedV1("p-signed", "s-1", Sha3Hash.ZERO, List.of("node-1", "node-2", "node-3")));
    Answer verified = operator().submit(unsignedVerdicts);
    assertThat(verified.status()).isEqualTo(400);
    assertThat(verified.code()).isIn("VERDICTS_REQUIRED", "NOT_FOUND");
    assertThat(height()).isEqualTo(before);
    assertThat(new ApiClient(HTTP, front, "mallory", mallory).get("/api/chain/head").code()).isEqualTo("UNKNOWN_KEY");

    // This consortium has one member organisation, hospital-1: its admin alone is the quorum, and an
    // approval by an admin of an organisation that is no member spoils the enrolment.
    byte[] message = TxBody.ConsortiumEnrolled.approvalMessage(cluster.genesisConsortium(), operator);
    TxBody.Approval byAdmin = new TxBody.Approval("admin", cluster.clientKey("admin").sign(message));
    Answer outsider = as("admin").submit(tx("admin", new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin,
        new TxBody.Approval("admin-2", cluster.clientKey("admin-2").sign(message))))));
    assertThat(outsider.code()).isEqualTo("QUORUM_NOT_MET");
    assertThat(height()).isEqualTo(before);
    Answer approved = as("admin").submit(tx("admin", new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin))));
    assertThat(approved.status()).as(approved.toString()).isEqualTo(201);
    assertThat(new ApiClient(HTTP, front, "mallory", mallory).get("/api/chain/head").status()).isEqualTo(200);
  }

  @Test
  void aPatientsViewsAreForThePatientItsPrivacyOfficerAndItsGranteesOnly() throws Exception {
    MlDsa65.KeyPair patientKey = MlDsa65.generate();
    for (TxBody body : List.of(
        new TxBody.IdentityEnrolled(new TxBody.Identity("p-view", "patient", "hospital-1", patientKey.publicKey())),
        new TxBody.PatientEnrolled("p-view", new byte[] {1}, Sha3Hash.ZERO))) {
      assertThat(as("admin").submit(tx("admin", body)).status()).isEqualTo(201);
    }
    ApiClient patient = new ApiClient(HTTP, front, "p-view", patientKey);
    String view = "/api/patients/p-view/transactions";
    assertThat(patient.get(view).body().get("transactionHashes")).hasSize(1);
    assertThat(as("privacy-officer").get(view).status()).isEqualTo(200);
    for (String other : List.of("clinician", "admin", "researcher")) {
      Answer refused = as(other).get(view);
      assertThat(refused.status()).as(other).isEqualTo(403);
      assertThat(refused.code()).isEqualTo("NO_ACCESS");
    }
    Answer unknown = as("clinician").get("/api/patients/p-nobody/transactions");
    assertThat(unknown.status()).isEqualTo(403);
    assertThat(unknown.code()).isEqualTo("NO_ACCESS");
  }

  @Test
  void aPatientReadsItsNotificationsAndOnlyThePatientMarksThemSeen() throws Exception {
    MlDsa65.KeyPair patientKey = MlDsa65.generate();
    for (TxBody body : List.of(
        new TxBody.IdentityEnrolled(new TxBody.Identity("p-notes", "patient", "hospital-1", patientKey.publicKey())),
        new TxBody.PatientEnrolled("p-notes", new byte[] {1}, Sha3Hash.ZERO))) {
      assertThat(as("admin").submit(tx("admin", body)).status()).isEqualTo(201);
    }
    // A record is stored before it is anchored; the envelope's key is a stand-in (nobody reads it here).
    MlKem768 kem = new MlKem768();
    RecordClient.Stored stored = new RecordClient(as("admin"), new RecordEncryption(kem, new SecureRandom())).store(
        "r-notes", "p-notes", new ByteArrayInputStream(new byte[] {42}),
        List.of(new RecordEncryption.Grantee("p-notes", kem.generateKeyPair(new SecureRandom()).publicKey())), n -> { });
    assertThat(as("admin").submit(tx("admin", new TxBody.RecordAnchored("r-notes", "p-notes", stored.digest(),
        stored.bytes(), "store", new byte[0]))).status()).isEqualTo(201);
    ApiClient patient = new ApiClient(HTTP, front, "p-notes", patientKey);
    String notes = "/api/patients/p-notes/notifications";
    Answer granted = patient.submit(Transaction.sign(patientKey, "p-notes", NONCES.incrementAndGet(),
        System.currentTimeMillis(), new TxBody.AccessGranted("r-notes", "clinician", "care",
            System.currentTimeMillis() + 3_600_000, new byte[0])));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);

    JsonNode listed = Eventually.answered(() -> patient.get(notes), answer -> answer.body().get("notifications").size() == 2);
    assertThat(listed.get("pseudonym").asText()).isEqualTo("p-notes");
    assertThat(listed.get("notifications")).extracting(n -> n.get("type").asText())
        .containsExactly("RECORD_ANCHORED", "ACCESS_GRANTED");
    JsonNode grant = listed.get("notifications").get(1);
    assertThat(grant.get("grantee").asText()).isEqualTo("clinician");
    assertThat(grant.get("hash").asText()).isEqualTo(granted.body().get("transactionHash").asText());
    assertThat(as("privacy-officer").get(notes).status()).isEqualTo(200);

    long before = height();
    // The grantee sees the patient's transactions, but not what the patient is told; nobody else either.
    for (String other : List.of("clinician", "admin", "researcher")) {
      Answer refused = as(other).get(notes);
      assertThat(refused.status()).as(other).isEqualTo(403);
      assertThat(refused.code()).isEqualTo("NO_ACCESS");
    }
    String seen = "{\"height\": " + grant.get("height").asLong() + ", \"index\": " + grant.get("index").asInt() + "}";
    Answer officerSeen = as("privacy-officer").post(notes + "/seen", seen);
    assertThat(officerSeen.status()).isEqualTo(403);
    assertThat(officerSeen.code()).isEqualTo("NO_ACCESS");
    assertThat(patient.get(notes).body().get("notifications")).hasSize(2);
    assertThat(patient.get(notes + "?afterHeight=x").code()).isEqualTo("BAD_VALUE");
    assertThat(patient.get(notes + "?afterHeight=-2").code()).isEqualTo("BAD_VALUE");
    assertThat(patient.post(notes + "/seen", "{\"height\": 1, \"index\": 0, \"all\": true}").code())
        .isEqualTo("UNKNOWN_FIELD");
    assertThat(patient.post(notes + "/seen", "{\"height\": -1, \"index\": 0}").code()).isEqualTo("BAD_VALUE");

    JsonNode first = listed.get("notifications").get(0);
    Answer after = patient.get(notes + "?afterHeight=" + first.get("height").asLong() + "&afterIndex="
        + first.get("index").asInt());
    assertThat(after.body().get("notifications")).extracting(n -> n.get("type").asText()).containsExactly("ACCESS_GRANTED");
    assertThat(patient.post(notes + "/seen", seen).status()).isEqualTo(204);
    Eventually.answered(() -> patient.get(notes), answer -> answer.body().get("notifications").isEmpty());
    assertThat(height()).as("reading and marking notifications commit nothing").isEqualTo(before);
  }

  @Test
  void anOperatorOpensChainViewsAndNothingElse() throws Exception {
    LatticareNode.NodeRefs refs = cluster.nodes.get(0);
    LatticareNode.NodeRefs opened = refs.withSettings(
        refs.settings().withOpenEndpoints(List.of("GET /api/chain/head", "GET /api/chain/blocks/{height}")));
    ServerBinding openFront = HttpFront.bind(cluster.kits.get(0).system(), opened, "127.0.0.1", 0)
        .toCompletableFuture().get();
    try {
      URI base = URI.create("http://127.0.0.1:" + openFront.localAddress().getPort());
      Answer head = as("admin").send(HttpRequest.newBuilder(base.resolve("/api/chain/head")).GET().build());
      assertThat(head.status()).as(head.toString()).isEqualTo(200);
      assertThat(head.body().get("height").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(as("admin").send(HttpRequest.newBuilder(base.resolve("/api/chain/blocks/0")).GET().build()).status())
          .isEqualTo(200);
      for (String closed : List.of("/api/cluster", "/api/transactions/" + "00".repeat(32),
          "/api/patients/p-1/transactions", "/api/chain/blocks/0/x")) {
        Answer refused = as("admin").send(HttpRequest.newBuilder(base.resolve(closed)).GET().build());
        assertThat(refused.status()).as(closed).isEqualTo(401);
        assertThat(refused.code()).as(closed).isEqualTo("UNSIGNED");
      }
      assertThat(new ApiClient(HTTP, base, "admin", cluster.clientKey("admin")).get("/api/cluster").status())
          .isEqualTo(200);
    } finally {
      openFront.unbind().toCompletableFuture().get();
    }
    for (String forbidden : List.of("POST /api/transactions", "GET /api/patients/{pseudonym}/transactions",
        "GET /api/patients/{pseudonym}/notifications", "POST /api/ring/ping", "GET /api/chain/head/")) {
      LatticareNode.NodeRefs bad = refs.withSettings(refs.settings().withOpenEndpoints(List.of(forbidden)));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpFront(cluster.kits.get(0).system(), bad,
              TestAuthenticator.refusingAll()))
          .as(forbidden).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open-endpoints");
    }
  }

  private static void assertRefused(Answer answer, String code) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
    assertThat(answer.code()).isEqualTo(code);
  }
}
