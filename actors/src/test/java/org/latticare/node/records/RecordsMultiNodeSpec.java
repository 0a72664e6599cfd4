package org.latticare.node.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordBinding;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.rules.ConsentPolicy;
import org.latticare.ledger.store.RecordStore;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.LatticareNode;
import org.latticare.node.TestCluster;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.Eventually;
import org.latticare.node.client.RecordClient;
import org.latticare.node.http.HttpFront;

/**
 * Records end to end on three nodes, through the fronts of two of them: a hospital's clinician seals a
 * record on its own machine and stores it through node 1 (every node holds it before the anchor);
 * the patient grants a consultant of another hospital through node 2; the consultant reads and
 * decrypts through node 2 and the read is in the patient's notifications; a revocation makes the next
 * read fail and removes the consultant's envelope from every node; an erasure removes the ciphertext
 * from every node's files. Each refusal on the way answers with its code and changes nothing.
 */
class RecordsMultiNodeSpec {

  private static final HttpClient HTTP = ApiClient.httpClient();
  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final MlKem768 KEM = new MlKem768();
  private static final RecordEncryption ENCRYPTION = new RecordEncryption(KEM, RANDOM, 16 * 1024);
  private static TestCluster cluster;
  private static final List<ServerBinding> bindings = new ArrayList<>();
  private static URI viaNode1;
  private static URI viaNode2;
  private static Person patient;
  private static Person doctor;
  private static Person consultant;

  /** An identity with both keys, enrolled on chain; its private keys stay here, as in a wallet. */
  private record Person(String id, MlDsa65.KeyPair signing, KemKeyPair kem) {
    RecordEncryption.Grantee grantee() {
      return new RecordEncryption.Grantee(id, kem.publicKey());
    }

    ApiClient api(URI front) {
      return new ApiClient(HTTP, front, id, signing);
    }

    RecordClient records(URI front) {
      return new RecordClient(api(front), ENCRYPTION);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(3, List.of(List.of("verifier", "producer", "front"),
        List.of("verifier", "producer", "front"), List.of("verifier", "producer")));
    for (int i = 0; i < 2; i++) {
      bindings.add(HttpFront.bind(cluster.kits.get(i).system(), cluster.nodes.get(i), "127.0.0.1", 0)
          .toCompletableFuture().get());
    }
    viaNode1 = URI.create("http://127.0.0.1:" + bindings.get(0).localAddress().getPort());
    viaNode2 = URI.create("http://127.0.0.1:" + bindings.get(1).localAddress().getPort());
    patient = enrol("admin", "p-rec", "patient", "hospital-1");
    submitAs("admin", new TxBody.PatientEnrolled("p-rec", new byte[] {1}, Sha3Hash.ZERO));
    doctor = enrol("admin", "dr-rec", "clinician", "hospital-1");
    consultant = enrol("admin-2", "cons-rec", "clinician", "hospital-2");
  }

  @AfterAll
  static void stop() {
    bindings.forEach(ServerBinding::unbind);
    cluster.shutdown();
  }

  private static Person enrol(String admin, String id, String role, String organisation) throws Exception {
    Person person = new Person(id, MlDsa65.generate(), KEM.generateKeyPair(RANDOM));
    submitAs(admin, new TxBody.IdentityEnrolled(new TxBody.Identity(id, role, organisation,
        IdentityKeys.of(person.signing().publicKey(), person.kem().publicKey()).encode())));
    return person;
  }

  private static void submitAs(String id, TxBody body) throws Exception {
    Answer answer = new ApiClient(HTTP, viaNode1, id, cluster.clientKey(id)).submit(
        Transaction.sign(cluster.clientKey(id), id, NONCES.incrementAndGet(), System.currentTimeMillis(), body));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
  }

  private static Answer submit(Person person, URI front, TxBody body) throws Exception {
    return person.api(front).submit(Transaction.sign(person.signing(), person.id(), NONCES.incrementAndGet(),
        System.currentTimeMillis(), body));
  }

  private static long height() throws Exception {
    return doctor.api(viaNode1).get("/api/chain/head").body().get("height").asLong();
  }

  private static RecordClient.Stored store(String recordId, byte[] plaintext) throws Exception {
    return doctor.records(viaNode1).store(recordId, "p-rec", new ByteArrayInputStream(plaintext),
        List.of(patient.grantee(), doctor.grantee()), sent -> { });
  }

  private static byte[] read(Person reader, URI front, String recordId, String purpose) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.records(front).read(new RecordBinding(recordId, "p-rec"), purpose, reader.signing(),
        NONCES.incrementAndGet(), reader.kem().privateKey(), out, n -> { });
    return out.toByteArray();
  }

  private static String codeOf(ThrowingCall call) {
    try {
      call.run();
    } catch (RecordClient.ApiException refused) {
      return refused.code();
    } catch (Exception other) {
      throw new AssertionError(other);
    }
    throw new AssertionError("not refused");
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void aRecordStoredThroughOneNodeIsReadThroughAnotherRevokedAndErasedFromEveryDisk() throws Exception {
    String marker = "MARKER-" + Long.toHexString(RANDOM.nextLong());
    byte[] plaintext = (marker + " discharge letter, asthma, J45.909. ").repeat(2000).getBytes(StandardCharsets.UTF_8);
    RecordClient.Stored stored = store("r-rec", plaintext);
    assertThat(stored.nodes()).isEqualTo(3);
    assertThat(stored.chunks()).isEqualTo((plaintext.length + 16 * 1024 - 1) / (16 * 1024));
    for (LatticareNode.NodeRefs node : cluster.nodes) {
      assertThat(node.records().manifest("r-rec")).get().extracting(RecordStore.Manifest::digest)
          .isEqualTo(stored.digest());
    }
    assertThat(filesContaining(marker.getBytes(StandardCharsets.UTF_8))).as("plaintext on a node's disk").isEmpty();
    byte[] ciphertextSample;
    try (InputStream in = cluster.nodes.get(2).records().ciphertext("r-rec")) {
      ciphertextSample = Arrays.copyOfRange(in.readAllBytes(), 5000, 5048);
    }
    doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());

    RecordBinding record = new RecordBinding("r-rec", "p-rec");
    assertThat(codeOf(() -> read(consultant, viaNode2, "r-rec", "second opinion"))).isEqualTo("NO_ACCESS");
    patient.records(viaNode2).grant(record, "cons-rec", "second opinion", System.currentTimeMillis() + 3_600_000,
        patient.signing(), NONCES.incrementAndGet(), patient.kem().privateKey());
    awaitAllowed(consultant, viaNode2, "r-rec");
    assertThat(read(consultant, viaNode2, "r-rec", "second opinion")).isEqualTo(plaintext);
    assertThat(read(doctor, viaNode1, "r-rec", "follow-up")).isEqualTo(plaintext);

    JsonNode notes = Eventually.answered(() -> patient.api(viaNode1).get("/api/patients/p-rec/notifications"),
        answer -> answer.body().get("notifications").findValuesAsText("reader").contains("cons-rec"));
    assertThat(notes.get("notifications")).anySatisfy(n -> {
      assertThat(n.get("type").asText()).isEqualTo("RECORD_ACCESSED");
      assertThat(n.get("reader").asText()).isEqualTo("cons-rec");
      assertThat(n.get("purpose").asText()).isEqualTo("second opinion");
    });

    // The log and the grants as HL7 FHIR R4 resources, for the patient and its privacy officer only.
    JsonNode audit = patient.api(viaNode1).get("/api/patients/p-rec/audit-events").body();
    assertThat(audit.get("resourceType").asText()).isEqualTo("Bundle");
    assertThat(audit.get("entry")).anySatisfy(entry -> {
      JsonNode event = entry.get("resource");
      assertThat(event.get("resourceType").asText()).isEqualTo("AuditEvent");
      assertThat(event.at("/agent/0/who/identifier/value").asText()).isEqualTo("cons-rec");
      assertThat(event.at("/purposeOfEvent/0/text").asText()).isEqualTo("second opinion");
      assertThat(event.at("/entity/1/what/reference").asText()).isEqualTo("DocumentReference/r-rec");
    });
    JsonNode consents = new ApiClient(HTTP, viaNode2, "privacy-officer", cluster.clientKey("privacy-officer"))
        .get("/api/patients/p-rec/consents").body();
    assertThat(consents.get("entry")).anySatisfy(entry -> {
      JsonNode consent = entry.get("resource");
      assertThat(consent.get("resourceType").asText()).isEqualTo("Consent");
      assertThat(consent.get("status").asText()).isEqualTo("active");
      assertThat(consent.at("/provision/actor/0/reference/identifier/value").asText()).isEqualTo("cons-rec");
    });
    assertThat(consultant.api(viaNode1).get("/api/patients/p-rec/audit-events").code()).isEqualTo("NO_ACCESS");

    assertThat(submit(patient, viaNode2, new TxBody.AccessRevoked("r-rec", "cons-rec")).status()).isEqualTo(201);
    Eventually.answered(() -> {
      String code = codeOf(() -> read(consultant, viaNode2, "r-rec", "second opinion"));
      return new Answer(200, com.fasterxml.jackson.databind.node.TextNode.valueOf(code));
    }, answer -> answer.body().asText().equals("ACCESS_REVOKED"));
    awaitOnEveryNode("the consultant's envelope is gone", node -> node.records().envelope("r-rec", "cons-rec").isEmpty());

    assertThat(filesContaining(ciphertextSample)).as("the ciphertext is on the nodes' disks").isNotEmpty();
    assertThat(submit(patient, viaNode1, new TxBody.RecordErased("r-rec")).status()).isEqualTo(201);
    awaitOnEveryNode("the record is erased", node -> node.records().erased("r-rec"));
    // each node's keeper compacts after it marks the record erased: wait for the last of them
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!filesContaining(ciphertextSample).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(filesContaining(ciphertextSample)).as("files still holding the ciphertext").isEmpty();
    assertThat(codeOf(() -> read(patient, viaNode2, "r-rec", "my record"))).isEqualTo("RECORD_ERASED");
  }

  @Test
  void aRecordIsStoredByItsPatientsHospitalWithThePatientsEnvelopeInOrderAndAnchoredOnlyAsStored() throws Exception {
    Person outsider = enrol("admin-2", "dr-other", "clinician", "hospital-2");
    long before = height();
    assertThat(codeOf(() -> outsider.records(viaNode1).store("r-out", "p-rec", new ByteArrayInputStream(new byte[10]),
        List.of(patient.grantee()), n -> { }))).isEqualTo("OTHER_ORGANISATION");
    assertThat(codeOf(() -> doctor.records(viaNode1).store("r-noenv", "p-rec", new ByteArrayInputStream(new byte[10]),
        List.of(doctor.grantee()), n -> { }))).isEqualTo("MISSING_ENVELOPE");

    RecordEncryption.Sealer sealer = ENCRYPTION.sealer(new RecordBinding("r-order", "p-rec"), List.of(patient.grantee()));
    String begin = "{\"recordId\": \"r-order\", \"pseudonym\": \"p-rec\", \"header\": \""
        + Base64.getEncoder().encodeToString(sealer.header().encode()) + "\", \"envelopes\": [{\"granteeId\": \"p-rec\","
        + " \"envelope\": \"" + Base64.getEncoder().encodeToString(sealer.envelopes().get(0).encode()) + "\"}]}";
    ApiClient api = doctor.api(viaNode1);
    assertThat(api.post("/api/records", begin).status()).isEqualTo(201);
    assertThat(api.post("/api/records", begin).code()).isEqualTo("RECORD_EXISTS");
    byte[] chunk = sealer.seal(new byte[16 * 1024], 0, 16 * 1024, false);
    Answer outOfOrder = api.send(api.signed("PUT", "/api/records/r-order/chunks/1", chunk, "application/octet-stream"));
    assertThat(outOfOrder.code()).isEqualTo("UPLOAD_OUT_OF_ORDER");
    Answer foreign = outsider.api(viaNode1).send(outsider.api(viaNode1).signed("PUT", "/api/records/r-order/chunks/0",
        chunk, "application/octet-stream"));
    assertThat(foreign.code()).isEqualTo("NOT_THE_UPLOADER");
    assertThat(api.send(api.signed("PUT", "/api/records/r-order/chunks/0", chunk, "application/json")).code())
        .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(api.send(api.signed("PUT", "/api/records/r-order/chunks/0", chunk, "application/octet-stream")).status())
        .isEqualTo(204);
    assertThat(api.post("/api/records/r-order/complete", "{\"chunks\": 2}").code()).isEqualTo("UPLOAD_OUT_OF_ORDER");
    Answer done = api.post("/api/records/r-order/complete", "{\"chunks\": 1}");
    assertThat(done.status()).as(done.toString()).isEqualTo(201);

    RecordClient.Stored stored = new RecordClient.Stored("r-order", Sha3Hash.fromHex(done.body().get("digest").asText()),
        done.body().get("bytes").asLong(), 1, 3);
    RecordClient.Stored forged = new RecordClient.Stored("r-order", Sha3Hash.of(new byte[] {1}), stored.bytes(), 1, 3);
    assertThat(codeOf(() -> doctor.records(viaNode1).anchor(forged, "p-rec", doctor.signing(), NONCES.incrementAndGet())))
        .isEqualTo("RECORD_NOT_STORED");
    assertThat(codeOf(() -> doctor.records(viaNode1).anchor(new RecordClient.Stored("r-never", stored.digest(),
        stored.bytes(), 1, 3), "p-rec", doctor.signing(), NONCES.incrementAndGet()))).isEqualTo("RECORD_NOT_STORED");
    assertThat(api.post("/api/records", begin.replace("\"header\": \"", "\"header\": \"AA")).code()).isEqualTo("BAD_VALUE");
    assertThat(height()).as("nothing was committed").isEqualTo(before);
    for (LatticareNode.NodeRefs node : cluster.nodes) {
      assertThat(node.records().manifest("r-out")).as("a refused upload stored nothing").isEmpty();
      assertThat(node.records().manifest("r-noenv")).isEmpty();
    }
    doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());

    // Envelopes: only the grantee fetches its own; only the patient or its hospital's staff store one.
    assertThat(outsider.api(viaNode1).get("/api/records/r-order/envelopes/p-rec").code()).isEqualTo("FORBIDDEN");
    assertThat(patient.api(viaNode1).get("/api/records/r-order/envelopes/p-rec").status()).isEqualTo(200);
    String envelope = "{\"envelope\": \"" + Base64.getEncoder().encodeToString(sealer.envelopes().get(0).encode()) + "\"}";
    Answer foreignEnvelope = outsider.api(viaNode1).send(outsider.api(viaNode1).signed("PUT",
        "/api/records/r-order/envelopes/p-rec", envelope.getBytes(StandardCharsets.UTF_8)));
    assertThat(foreignEnvelope.code()).isEqualTo("OTHER_ORGANISATION");
    Answer misnamed = api.send(api.signed("PUT", "/api/records/r-order/envelopes/dr-rec",
        envelope.getBytes(StandardCharsets.UTF_8)));
    assertThat(misnamed.code()).as("an envelope stored under another grantee's name").isEqualTo("BAD_VALUE");
    assertThat(cluster.nodes.get(0).records().grantees("r-order")).containsExactly("p-rec");
    Answer replaced = api.send(api.signed("PUT", "/api/records/r-order/envelopes/p-rec",
        envelope.getBytes(StandardCharsets.UTF_8)));
    assertThat(replaced.code()).as("the hospital replacing the patient's envelope").isEqualTo("ENVELOPE_EXISTS");
    Answer own = patient.api(viaNode1).send(patient.api(viaNode1).signed("PUT", "/api/records/r-order/envelopes/p-rec",
        envelope.getBytes(StandardCharsets.UTF_8)));
    assertThat(own.status()).as("the patient replacing its own").isEqualTo(201);
  }

  @Test
  void aTelemedicineConsentServesItsPurposeInItsWindowAndThenStops() throws Exception {
    byte[] plaintext = "ECG for a remote second opinion".getBytes(StandardCharsets.UTF_8);
    RecordClient.Stored stored = store("r-tele", plaintext);
    doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());
    long start = System.currentTimeMillis();
    long end = start + 6_000;
    patient.records(viaNode1).grant(new RecordBinding("r-tele", "p-rec"), "cons-rec",
        ConsentPolicy.access("TREAT", start).encode(), end, patient.signing(), NONCES.incrementAndGet(),
        patient.kem().privateKey());
    awaitAllowed(consultant, viaNode2, "r-tele", "TREAT");
    assertThat(read(consultant, viaNode2, "r-tele", "TREAT")).isEqualTo(plaintext);
    assertThat(codeOf(() -> read(consultant, viaNode2, "r-tele", "HRESCH"))).isEqualTo("WRONG_PURPOSE");
    Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
    assertThat(codeOf(() -> read(consultant, viaNode2, "r-tele", "TREAT"))).isEqualTo("ACCESS_EXPIRED");
  }

  @Test
  void anEmergencyClinicianBreaksTheGlassThePatientAndThePrivacyOfficerAreToldAndTheHospitalSharesTheKey()
      throws Exception {
    byte[] plaintext = "Allergies: penicillin. Blood group O-.".getBytes(StandardCharsets.UTF_8);
    RecordClient.Stored stored = store("r-glass", plaintext);
    doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());
    Person emergency = enrol("admin-2", "er-doc", "clinician", "hospital-2");
    assertThat(codeOf(() -> read(emergency, viaNode2, "r-glass", "ETREAT"))).isEqualTo("NO_ACCESS");

    String why = "unconscious in the emergency room of hospital-2";
    emergency.records(viaNode2).submit(new TxBody.BreakGlass("r-glass", "er-doc", why,
        System.currentTimeMillis() + 3_600_000), emergency.signing(), NONCES.incrementAndGet());
    ApiClient privacy = new ApiClient(HTTP, viaNode1, "privacy-officer", cluster.clientKey("privacy-officer"));
    JsonNode alerts = privacy.get("/api/organisations/hospital-1/alerts").body();
    assertThat(alerts.get("alerts")).anySatisfy(alert -> {
      assertThat(alert.get("clinician").asText()).isEqualTo("er-doc");
      assertThat(alert.get("recordId").asText()).isEqualTo("r-glass");
      assertThat(alert.get("pseudonym").asText()).isEqualTo("p-rec");
      assertThat(alert.get("justification").asText()).isEqualTo(why);
    });
    assertThat(emergency.api(viaNode1).get("/api/organisations/hospital-1/alerts").code()).isEqualTo("FORBIDDEN");
    Eventually.answered(() -> patient.api(viaNode2).get("/api/patients/p-rec/notifications"),
        answer -> answer.body().get("notifications").findValuesAsText("type").contains("BREAK_GLASS"));

    // Allowed now, but it holds no key: the hospital's custodian (here the clinician who stored it) shares it.
    awaitCode(emergency, viaNode2, "r-glass", "ETREAT", "NO_ENVELOPE");
    doctor.records(viaNode1).share(new RecordBinding("r-glass", "p-rec"), "er-doc", doctor.kem().privateKey());
    assertThat(read(emergency, viaNode2, "r-glass", "ETREAT")).isEqualTo(plaintext);
    assertThat(codeOf(() -> read(emergency, viaNode2, "r-glass", "TREAT"))).isEqualTo("WRONG_PURPOSE");
  }

  private static void awaitCode(Person reader, URI front, String recordId, String purpose, String code) throws Exception {
    Eventually.answered(() -> new Answer(200, com.fasterxml.jackson.databind.node.TextNode.valueOf(
        codeOf(() -> read(reader, front, recordId, purpose)))), answer -> answer.body().asText().equals(code));
  }

  @Test
  void aNodeThatLacksTheAnchoredRecordOrHoldsAnotherServesItFromAPeer() throws Exception {
    // Node 2 holds another record under one id (a lying peer pushed it) and an unfinished upload under
    // another: it refuses both real uploads, which a majority (nodes 1 and 3) stores and the anchors name.
    RecordEncryption.Sealer forgery = ENCRYPTION.sealer(new RecordBinding("r-forged", "p-rec"), List.of(patient.grantee()));
    ActorTestKitProbe probe = new ActorTestKitProbe();
    var keeper = cluster.nodes.get(1).recordKeeper();
    keeper.tell(new RecordKeeper.Begin("r-forged", "mallory", forgery.header().encode(), List.of(
        new RecordKeeper.StoredEnvelope("p-rec", forgery.envelopes().get(0).encode())), probe.ref()));
    keeper.tell(new RecordKeeper.Append("r-forged", "mallory", 0, forgery.seal(new byte[5], 0, 5, true), probe.ref()));
    keeper.tell(new RecordKeeper.Finish("r-forged", "mallory", 1, probe.ref()));
    keeper.tell(new RecordKeeper.Begin("r-lacking", "mallory", forgery.header().encode(), List.of(), probe.ref()));
    probe.await(4);
    for (String recordId : List.of("r-forged", "r-lacking")) {
      byte[] plaintext = ("the real " + recordId).getBytes(StandardCharsets.UTF_8);
      RecordClient.Stored stored = store(recordId, plaintext);
      assertThat(stored.nodes()).isEqualTo(2);
      doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());
      assertThat(cluster.nodes.get(1).records().manifest(recordId).map(RecordStore.Manifest::digest))
          .isNotEqualTo(java.util.Optional.of(stored.digest()));
      // Node 2's front serves the anchored record, fetched from a peer; the reader checks it against the anchor.
      assertThat(read(patient, viaNode2, recordId, "PATRQT")).isEqualTo(plaintext);
    }
  }

  /** Collects a keeper's answers in the test (the keeper is an actor of the cluster under test). */
  private static final class ActorTestKitProbe {
    private final akka.actor.testkit.typed.javadsl.TestProbe<StoreAck> probe = cluster.kits.get(1).createTestProbe();

    akka.actor.typed.ActorRef<StoreAck> ref() {
      return probe.getRef();
    }

    void await(int answers) {
      for (int i = 0; i < answers; i++) {
        assertThat(probe.receiveMessage(Duration.ofSeconds(5)).succeeded()).isTrue();
      }
    }
  }

  @Test
  void aReadThatCannotHappenIsRefusedBeforeAnythingIsLogged() throws Exception {
    byte[] plaintext = "a short note".getBytes(StandardCharsets.UTF_8);
    RecordClient.Stored stored = store("r-refused", plaintext);
    doctor.records(viaNode1).anchor(stored, "p-rec", doctor.signing(), NONCES.incrementAndGet());
    Person colleague = enrol("admin", "dr-colleague", "clinician", "hospital-1");
    long before = height();
    // Its hospital's clinician may read, but holds no envelope: refused before the read is logged.
    assertThat(codeOf(() -> read(colleague, viaNode1, "r-refused", "treatment"))).isEqualTo("NO_ENVELOPE");
    assertThat(codeOf(() -> read(consultant, viaNode1, "r-refused", "treatment"))).isEqualTo("NO_ACCESS");
    Transaction othersRead = Transaction.sign(consultant.signing(), "cons-rec", NONCES.incrementAndGet(),
        System.currentTimeMillis(), new TxBody.RecordAccessed("r-refused", "cons-rec", "treatment"));
    Answer relayed = doctor.api(viaNode1).post("/api/records/r-refused/read", ApiClient.submitBody(othersRead));
    assertThat(relayed.code()).isEqualTo("BAD_VALUE");
    assertThat(codeOf(() -> read(patient, viaNode1, "r-none", "mine"))).isEqualTo("NOT_FOUND");
    assertThat(codeOf(() -> consultant.records(viaNode1).grantee("nobody"))).isEqualTo("NOT_FOUND");
    assertThat(height()).as("nothing was logged").isEqualTo(before);
    assertThat(read(patient, viaNode1, "r-refused", "my own record")).isEqualTo(plaintext);
    assertThat(height()).as("a read is logged").isGreaterThan(before);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static void awaitAllowed(Person reader, URI front, String recordId) throws Exception {
    awaitAllowed(reader, front, recordId, "probe");
  }

  private static void awaitAllowed(Person reader, URI front, String recordId, String purpose) throws Exception {
    Eventually.answered(() -> {
      String code;
      try {
        read(reader, front, recordId, purpose);
        code = "OK";
      } catch (RecordClient.ApiException refused) {
        code = refused.code();
      }
      return new Answer(200, com.fasterxml.jackson.databind.node.TextNode.valueOf(code));
    }, answer -> answer.body().asText().equals("OK"));
  }

  private static void awaitOnEveryNode(String what, java.util.function.Predicate<LatticareNode.NodeRefs> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!cluster.nodes.stream().allMatch(condition) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(cluster.nodes).as(what).allMatch(condition);
  }

  /** The files under the consortium's data directory (journals and record stores) that hold {@code needle}. */
  private static List<Path> filesContaining(byte[] needle) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(cluster.dataDir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
        try {
          if (attributes.isRegularFile() && indexOf(Files.readAllBytes(file), needle) >= 0) {
            found.add(file);
          }
        } catch (IOException deletedWhileWalking) {
          // LevelDB removes obsolete files as it compacts
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
