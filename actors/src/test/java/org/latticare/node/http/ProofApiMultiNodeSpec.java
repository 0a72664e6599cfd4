package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.TestCluster;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.ProofClient;
import org.latticare.node.client.RecordClient;
import org.latticare.node.http.auth.IdentityTokens;
import org.latticare.node.http.auth.LoginNonces;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.ProverSession;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * A patient proves its identity over HTTP to a ring of three verifier nodes, through node-1's front and its
 * gateway (wherever sharding runs it), with the secret key on the client only; then reads its own views with
 * the token. Every request is also tried by someone without the role: another patient, a clinician, a token
 * used elsewhere, expired, forged, a replayed non-interactive proof. Each verifier seats two sessions at most.
 */
class ProofApiMultiNodeSpec {

  private static final IdentificationParameters P = IdentificationParameters.N256;
  private static final List<String> FRONT = List.of("verifier", "producer", "front");
  private static final List<String> NODE = List.of("verifier", "producer");
  private static final HttpClient HTTP = ApiClient.httpClient();
  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());
  private static TestCluster cluster;
  private static URI front;

  /** A patient as its device holds it: its identity's signing key and its proof key. */
  private record Patient(String pseudonym, ApiClient api, IdentityKeyPair proofKey) {
    ProofClient prover() {
      return new ProofClient(api);
    }

    String path(String view) {
      return "/api/patients/" + pseudonym + view;
    }
  }

  @BeforeAll
  static void start() {
    // two seats per verifier, so that a third session is refused
    cluster = TestCluster.start(3, List.of(FRONT, NODE, NODE), Map.of("latticare.identity.max-sessions", 2));
    cluster.awaitRing(3);
    front = cluster.serveHttp(0);
  }

  @AfterAll
  static void stop() {
    cluster.shutdown();
  }

  private static ApiClient as(String id) {
    return new ApiClient(HTTP, front, id, cluster.clientKey(id));
  }

  private static void commit(TxBody body) throws Exception {
    Answer answer = as("admin").submit(Transaction.sign(cluster.clientKey("admin"), "admin", NONCES.incrementAndGet(),
        System.currentTimeMillis(), body));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
  }

  /** An identity of role patient, enrolled as a patient of hospital-1 with {@code enrolledKey} as its proof key. */
  private static Patient enrol(String pseudonym, byte[] enrolledKey, IdentityKeyPair heldKey) throws Exception {
    MlDsa65.KeyPair signing = MlDsa65.generate();
    commit(new TxBody.IdentityEnrolled(new TxBody.Identity(pseudonym, "patient", "hospital-1", signing.publicKey())));
    if (enrolledKey != null) {
      commit(new TxBody.PatientEnrolled(pseudonym, enrolledKey, Sha3Hash.ZERO));
    }
    return new Patient(pseudonym, new ApiClient(HTTP, front, pseudonym, signing), heldKey);
  }

  private static Patient enrolled(String pseudonym) throws Exception {
    IdentityKeyPair keys = IdentityKeyPair.generate(P, RandomSource.secure());
    return enrol(pseudonym, keys.publicKey().encode(), keys);
  }

  private static Answer withToken(String path, String token) throws Exception {
    return ProofClient.getWithToken(HTTP, front, path, token);
  }

  private static Answer unsigned(String path, String json) throws Exception {
    return ApiClient.send(HTTP, ProofClient.open(front, path, json));
  }

  private static void expect(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    if (code != null) {
      assertThat(answer.code()).as(answer.toString()).isEqualTo(code);
    }
  }

  private static String frame(Object message) {
    return "{\"frame\":\"" + Base64.getEncoder().encodeToString(
        MessageCodec.encode(P, (RingChallengeIdentification.Message) message)) + "\"}";
  }

  @Test
  void aPatientProvesItsIdentityOverHttpAndReadsItsOwnViewsWithTheToken() throws Exception {
    Patient patient = enrolled("p-proves");
    ProofClient.Token token = patient.prover().proveOverRing(patient.proofKey());
    assertThat(token.pseudonym()).isEqualTo("p-proves");
    assertThat(token.issuer()).isEqualTo("node-1");
    assertThat(token.expiresAtMillis()).isBetween(System.currentTimeMillis() + 240_000,
        System.currentTimeMillis() + 300_000);
    assertThat(token.evidence()).startsWith("ring:");

    Answer transactions = withToken(patient.path("/transactions"), token.token());
    expect(transactions, 200, null);
    assertThat(transactions.body().get("transactionHashes")).extracting(JsonNode::asText)
        .as("the IdentityVerified the token rests on is the patient's").contains(token.evidence().substring(5));
    expect(withToken(patient.path("/notifications"), token.token()), 200, null);
    HttpResponse<String> audit = HTTP.send(HttpRequest.newBuilder(front.resolve(patient.path("/audit-events")))
        .header("Authorization", "Bearer " + token.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(audit.statusCode()).isEqualTo(200);
    assertThat(audit.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("fhir+json"));
  }

  @Test
  void aTokenOpensOnlyItsPatientsOwnViewsUntilItExpires() throws Exception {
    Patient patient = enrolled("p-token");
    Patient other = enrolled("p-token-other");
    String token = patient.prover().proveOverRing(patient.proofKey()).token();
    expect(withToken(patient.path("/transactions"), token), 200, null);

    expect(withToken(other.path("/transactions"), token), 403, "TOKEN_NOT_ALLOWED");
    expect(withToken("/api/chain/head", token), 403, "TOKEN_NOT_ALLOWED");
    expect(withToken("/api/identities/p-token", token), 403, "TOKEN_NOT_ALLOWED");
    HttpRequest write = HttpRequest.newBuilder(front.resolve(patient.path("/notifications/seen")))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"height\":0,\"index\":0}")).build();
    expect(ApiClient.send(HTTP, write), 403, "TOKEN_NOT_ALLOWED");
    HttpRequest open = HttpRequest.newBuilder(front.resolve(patient.path("/proofs")))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
    expect(ApiClient.send(HTTP, open), 403, "TOKEN_NOT_ALLOWED");
    HttpRequest both = patient.api().signed("GET", patient.path("/transactions"), new byte[0]);
    expect(ApiClient.send(HTTP, HttpRequest.newBuilder(both, (name, value) -> true)
        .header("Authorization", "Bearer " + token).build()), 401, "MALFORMED_SIGNATURE");

    // any member's node key issues tokens every front accepts; no one else's, and none after its expiry
    Map<String, byte[]> members = new HashMap<>();
    ConsortiumFiles.founding(cluster.genesis).members().forEach(m -> members.put(m.nodeId(), m.publicKey()));
    MlDsa65.KeyPair node2 = ConsortiumFiles.readKey(cluster.dataDir.resolve("node-2").resolve("node.key"));
    String fromNode2 = new IdentityTokens("node-2", node2, members, Duration.ofMinutes(5), Clock.systemUTC())
        .issue("p-token", "hospital-1", "ring:test").token();
    expect(withToken(patient.path("/transactions"), fromNode2), 200, null);
    String expired = new IdentityTokens("node-2", node2, members, Duration.ofMinutes(5),
        Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC)).issue("p-token", "hospital-1", "ring:t")
        .token();
    Answer late = withToken(patient.path("/transactions"), expired);
    expect(late, 401, "TOKEN_EXPIRED");
    String forged = new IdentityTokens("node-2", MlDsa65.generate(), members, Duration.ofMinutes(5), Clock.systemUTC())
        .issue("p-token", "hospital-1", "ring:test").token();
    expect(withToken(patient.path("/transactions"), forged), 401, "TOKEN_INVALID");
    expect(withToken(patient.path("/transactions"), "not-a-token"), 401, "TOKEN_INVALID");
  }

  @Test
  void onlyThePatientItselfRunsItsProofs() throws Exception {
    Patient patient = enrolled("p-own");
    Patient other = enrolled("p-own-other");
    expect(as("clinician").post(patient.path("/proofs"), ""), 403, "NOT_THE_PATIENT");
    expect(as("privacy-officer").post(patient.path("/proofs"), ""), 403, "NOT_THE_PATIENT");
    expect(other.api().post(patient.path("/proofs"), ""), 403, "NOT_THE_PATIENT");

    JsonNode opened = patient.prover().openSession();
    String session = opened.get("session").asText();
    assertThat(opened.get("parameterSetName").asText()).isEqualTo(P.name());
    assertThat(opened.get("ring")).hasSize(3);
    assertThat(opened.get("ring").findValuesAsText("nodeId")).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    String commitment = frame(ProverSession.start(patient.proofKey(), members(opened),
        new RingChallengeIdentification.Settings(1, 64), session, RandomSource.secure()).messages().get(0));
    expect(other.api().get(patient.path("/proofs/" + session + "/events")), 403, "NOT_THE_PATIENT");
    expect(other.api().post(patient.path("/proofs/" + session + "/token"), ""), 403, "NOT_THE_PATIENT");
    expect(other.api().post(patient.path("/proofs/" + session + "/messages"), commitment), 403, "NOT_THE_PATIENT");
    expect(as("clinician").get(patient.path("/proofs/" + session + "/events")), 403, "NOT_THE_PATIENT");
    // under its own name, another patient's session is unknown
    expect(other.api().post(other.path("/proofs/" + session + "/messages"), commitment), 404, "UNKNOWN_SESSION");
    expect(other.api().get(other.path("/proofs/" + session + "/events?wait=0")), 404, "UNKNOWN_SESSION");
    expect(other.api().post(other.path("/proofs/" + session + "/token"), ""), 404, "UNKNOWN_SESSION");

    assertThat(patient.prover().runSession(patient.proofKey(), opened, ProofClient.Challenges.IGNORED).get("code").asText()).isEqualTo("IDENTIFIED");
  }

  private static RingMembers members(JsonNode opened) {
    return new RingMembers(opened.get("ring").findValuesAsText("publicKey").stream()
        .map(k -> Base64.getDecoder().decode(k)).toList());
  }

  @Test
  void onlyTheSessionsOwnCommitmentsAndResponsesAreRelayedAndItsTokenIsIssuedOnce() throws Exception {
    Patient patient = enrolled("p-frames");
    JsonNode opened = patient.prover().openSession();
    String at = patient.path("/proofs/" + opened.get("session").asText());
    long before = System.nanoTime();
    Answer nothing = patient.api().get(at + "/events?wait=1");
    expect(nothing, 200, null);
    assertThat(nothing.body().get("events")).isEmpty();
    assertThat(System.nanoTime() - before).as("a poll waits as long as asked").isGreaterThan(900_000_000L);
    expect(patient.api().get(at + "/events?wait=11"), 400, "BAD_VALUE");
    expect(patient.api().get(at + "/events?after=x"), 400, "BAD_VALUE");

    expect(patient.api().post(at + "/messages", frame(ProverSession.start(patient.proofKey(), members(opened),
        new RingChallengeIdentification.Settings(1, 64), "ps-another", RandomSource.secure()).messages().get(0))),
        400, "BAD_FRAME");
    expect(patient.api().post(at + "/messages", "{\"frame\":\"AAEC\"}"), 400, "BAD_FRAME");
    expect(patient.api().post(at + "/messages", "{\"frame\":\"not base64!\"}"), 400, "BAD_VALUE");
    expect(patient.api().post(at + "/messages", "{\"frame\":\"AAEC\",\"extra\":1}"), 400, "UNKNOWN_FIELD");
    expect(patient.api().post(at + "/token", ""), 409, "NOT_FINISHED");

    // the real prover; each challenge of the ring is also sent back as if it were the prover's frame
    JsonNode finished = patient.prover().runSession(patient.proofKey(), opened, (index, challenge) ->
        expect(patient.api().post(at + "/messages", "{\"frame\":\"" + challenge + "\"}"), 400, "BAD_FRAME"));
    assertThat(finished.get("identified").asBoolean()).as(finished.toString()).isTrue();
    Answer events = patient.api().get(at + "/events");
    assertThat(events.body().get("finished").asBoolean()).isTrue();
    JsonNode challenge = events.body().get("events").get(0);
    assertThat(challenge.get("type").asText()).isEqualTo("challenge");
    expect(patient.api().post(at + "/messages", "{\"frame\":\"" + challenge.get("frame").asText() + "\"}"), 409,
        "SESSION_ENDED");

    ProofClient.Token token = patient.prover().token(opened.get("session").asText());
    assertThat(token.evidence()).isEqualTo("ring:" + finished.get("transactionHash").asText());
    assertThatThrownBy(() -> patient.prover().token(opened.get("session").asText()))
        .isInstanceOfSatisfying(RecordClient.ApiException.class, e -> assertThat(e.code()).isEqualTo("TOKEN_ALREADY_ISSUED"));
  }

  @Test
  void aProverWithoutTheEnrolledKeyIsNotIdentifiedAndGetsNoToken() throws Exception {
    Patient patient = enrol("p-wrong-key", IdentityKeyPair.generate(P, RandomSource.secure()).publicKey().encode(),
        IdentityKeyPair.generate(P, RandomSource.secure()));
    JsonNode opened = patient.prover().openSession();
    JsonNode finished = patient.prover().runSession(patient.proofKey(), opened, ProofClient.Challenges.IGNORED);
    assertThat(finished.get("identified").asBoolean()).isFalse();
    assertThat(finished.get("code").asText()).isEqualTo("NOT_IDENTIFIED");
    expect(patient.api().post(patient.path("/proofs/" + opened.get("session").asText() + "/token"), ""), 403,
        "NOT_IDENTIFIED");
    assertThatThrownBy(() -> patient.prover().proveOverRing(patient.proofKey()))
        .isInstanceOfSatisfying(RecordClient.ApiException.class, e -> assertThat(e.code()).isEqualTo("NOT_IDENTIFIED"));
  }

  @Test
  void aPatientNotEnrolledOrWithoutAProofKeyIsToldWhy() throws Exception {
    Patient unenrolled = enrol("p-identity-only", null, null);
    expect(unenrolled.api().post(unenrolled.path("/proofs"), ""), 404, "NOT_ENROLLED");
    Patient keyless = enrol("p-keyless", new byte[] {1}, null);
    expect(keyless.api().post(keyless.path("/proofs"), ""), 409, "NO_PROOF_KEY");
  }

  @Test
  void aFullRingIsBusyAndSaysWhenToTryAgain() throws Exception {
    Patient patient = enrolled("p-busy");
    JsonNode first = patient.prover().openSession();
    JsonNode second = patient.prover().openSession();
    HttpResponse<String> busy = HTTP.send(patient.api().signed("POST", patient.path("/proofs"), new byte[0]),
        HttpResponse.BodyHandlers.ofString());
    assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
    assertThat(busy.body()).contains("\"RING_BUSY\"");
    assertThat(busy.headers().firstValue("Retry-After")).contains("1");
    assertThat(patient.prover().runSession(patient.proofKey(), first, ProofClient.Challenges.IGNORED).get("code").asText()).isEqualTo("IDENTIFIED");
    assertThat(patient.prover().runSession(patient.proofKey(), second, ProofClient.Challenges.IGNORED).get("code").asText()).isEqualTo("IDENTIFIED");
  }

  @Test
  void aNonInteractiveProofOverAFreshNonceIsExchangedForATokenOnce() throws Exception {
    Patient patient = enrolled("p-nizk");
    ProofClient.Token token = ProofClient.logIn(HTTP, front, "p-nizk", patient.proofKey());
    assertThat(token.evidence()).startsWith("nizk:");
    expect(withToken(patient.path("/transactions"), token.token()), 200, null);

    String nonce = unsigned("/api/identity/nonces", "").body().get("nonce").asText();
    byte[] proof = NonInteractiveProof.prove(patient.proofKey(), LoginNonces.context(nonce, "p-nizk"),
        RandomSource.secure()).proof().encode();
    String login = ProofClient.loginBody("p-nizk", nonce, proof);
    expect(unsigned("/api/identity/tokens", login), 201, null);
    expect(unsigned("/api/identity/tokens", login), 401, "NONCE_USED");

    String fresh = unsigned("/api/identity/nonces", "{}").body().get("nonce").asText();
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nizk", fresh, proof)), 401, "PROOF_INVALID");
    byte[] impostor = NonInteractiveProof.prove(IdentityKeyPair.generate(P, RandomSource.secure()),
        LoginNonces.context(fresh, "p-nizk"), RandomSource.secure()).proof().encode();
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nizk", fresh, impostor)), 401, "PROOF_INVALID");
    Patient other = enrolled("p-nizk-other");
    byte[] forOther = NonInteractiveProof.prove(patient.proofKey(), LoginNonces.context(fresh, "p-nizk-other"),
        RandomSource.secure()).proof().encode();
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nizk-other", fresh, forOther)), 401,
        "PROOF_INVALID");
    assertThat(other).isNotNull();
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nizk", "made-up", proof)), 401, "NONCE_INVALID");
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nobody", fresh, proof)), 404, "NOT_ENROLLED");
    expect(unsigned("/api/identity/tokens", "{\"pseudonym\":\"p-nizk\"}"), 400, "BAD_VALUE");
    // the refusals spent nothing: the fresh nonce still logs the right proof in
    byte[] right = NonInteractiveProof.prove(patient.proofKey(), LoginNonces.context(fresh, "p-nizk"),
        RandomSource.secure()).proof().encode();
    expect(unsigned("/api/identity/tokens", ProofClient.loginBody("p-nizk", fresh, right)), 201, null);
  }
}
