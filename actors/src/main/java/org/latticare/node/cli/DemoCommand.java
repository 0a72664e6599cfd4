package org.latticare.node.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordBinding;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.rules.ConsentPolicy;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.ProofClient;
import org.latticare.node.client.RecordClient;
import org.latticare.node.http.auth.LoginNonces;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latticare demo}: against a running {@code latticare up}, tells the access-control story with
 * the embedded consortium's client keys and identities it enrols with keys of their own (as their
 * wallets would hold them), every request signed by the identity that makes it, every record sealed and
 * opened on the client: store and anchor, read, consent and its purpose, the log as FHIR, an identity
 * proof run from the patient's side and its token, revocation, a telemedicine window, break-glass with
 * its alert, an operator enrolled by a quorum, erasure, unsigned and replayed requests. Each answer is printed with its code, and whether it was the one expected.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Against a running './latticare up': the access-control story, every request signed.")
final class DemoCommand implements Callable<Integer> {

  private static final long DAY = 86_400_000L;

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "The front (default: ${DEFAULT-VALUE})")
  URI url;

  @Option(names = "--data-dir", defaultValue = "data", description = "The data directory of 'up' (client keys)")
  Path dataDir;

  private static final MlKem768 KEM = new MlKem768();
  private static final SecureRandom RANDOM = new SecureRandom();
  private long nonce = System.currentTimeMillis() * 1000;
  private int failures;

  @Override
  public Integer call() throws Exception {
    HttpClient http = ApiClient.httpClient();
    Path keys = EmbeddedConsortium.clientKeys(dataDir);
    ApiClient admin = client(http, keys, "admin");
    ApiClient admin2 = client(http, keys, "admin-2");
    ApiClient privacy = client(http, keys, "privacy-officer");
    String run = Long.toString(nonce, 36);
    String pseudonym = "p-" + run;
    String record = "r-" + run;
    // The patient's keys are made here for the demo only; a patient's wallet keeps its own.
    MlDsa65.KeyPair patientKey = MlDsa65.generate();
    KemKeyPair patientKem = KEM.generateKeyPair(RANDOM);
    IdentityKeyPair patientProof = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure());
    ApiClient patient = new ApiClient(http, url, pseudonym, patientKey);
    byte[] letter = ("Discharge letter for " + pseudonym + ": asthma (J45.909), inhaler twice daily.")
        .getBytes(StandardCharsets.UTF_8);

    section("A hospital enrols a patient and its staff, and stores and anchors an encrypted record");
    expect(201, null, "admin enrols the patient's identity (ML-DSA-65 and ML-KEM-768 keys)", admin,
        admin.submit(tx(admin, keyOf(keys, "admin"), new TxBody.IdentityEnrolled(new TxBody.Identity(pseudonym,
            "patient", "hospital-1", IdentityKeys.of(patientKey.publicKey(), patientKem.publicKey()).encode())))));
    expect(201, null, "admin enrols the patient, with its proof key", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.PatientEnrolled(pseudonym, patientProof.publicKey().encode(), Sha3Hash.of(pseudonym.getBytes())))));
    Wallet doctor = enrol(http, admin, keys, "admin", "dr-" + run, "clinician", "hospital-1");
    Wallet consultant = enrol(http, admin2, keys, "admin-2", "cons-" + run, "clinician", "hospital-2");
    Wallet emergency = enrol(http, admin2, keys, "admin-2", "er-" + run, "clinician", "hospital-2");
    RecordBinding letterOf = new RecordBinding(record, pseudonym);
    RecordClient.Stored stored = doctor.records.store(record, pseudonym, new ByteArrayInputStream(letter),
        List.of(new RecordEncryption.Grantee(pseudonym, patientKem.publicKey()), doctor.grantee()), sent -> { });
    check(stored.nodes() >= 2, "clinician seals the letter on its machine, stores it off chain", doctor.api,
        "on " + stored.nodes() + " nodes, digest " + stored.digest().hex().substring(0, 16) + "…");
    expect(201, null, "clinician anchors it: digest and size only", doctor.api, doctor.records.anchor(stored, pseudonym,
        doctor.signing, nonce++));
    Wallet me = new Wallet(patient, new RecordClient(patient, new RecordEncryption(KEM, RANDOM)), patientKey, patientKem);
    read(me, letterOf, "PATRQT", letter, "patient reads and decrypts it (the read is logged first)");

    section("Roles cannot be escalated");
    expect(400, "QUORUM_REQUIRED", "admin enrols an operator", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.IdentityEnrolled(new TxBody.Identity("op-" + run, "operator", "hospital-1",
            MlDsa65.generate().publicKey())))));
    expect(400, "OTHER_ORGANISATION", "admin enrols a clinician into hospital-2", admin,
        admin.submit(tx(admin, keyOf(keys, "admin"), new TxBody.IdentityEnrolled(new TxBody.Identity("dr2-" + run,
            "clinician", "hospital-2", MlDsa65.generate().publicKey())))));

    section("A consultant of another hospital is refused until the patient consents");
    refused(consultant, letterOf, "TREAT", "NO_ACCESS", "consultant reads without a consent");
    expect(403, "NO_ACCESS", "consultant lists the patient's transactions", consultant.api,
        consultant.api.get("/api/patients/" + pseudonym + "/transactions"));
    expect(201, null, "patient consents: TREAT for a day (key re-wrapped on its side)", patient, me.records.grant(letterOf,
        consultant.api.identityId(), ConsentPolicy.access("TREAT", System.currentTimeMillis()).encode(),
        System.currentTimeMillis() + DAY, patientKey, nonce++, patientKem.privateKey()));
    awaitRead(consultant, letterOf, "TREAT", letter, "consultant reads and decrypts it for TREAT");
    refused(consultant, letterOf, "HRESCH", "WRONG_PURPOSE", "consultant reads it for research");
    expect(200, null, "consultant lists the patient's transactions", consultant.api,
        consultant.api.get("/api/patients/" + pseudonym + "/transactions"));

    section("The patient and its privacy officer see who did what");
    expect(200, null, "patient lists its transactions", patient, patient.get("/api/patients/" + pseudonym + "/transactions"));
    expect(200, null, "privacy officer lists them", privacy, privacy.get("/api/patients/" + pseudonym + "/transactions"));
    expect(200, null, "patient reads its notifications (consent, reads)", patient,
        patient.get("/api/patients/" + pseudonym + "/notifications"));
    Answer audit = patient.get("/api/patients/" + pseudonym + "/audit-events");
    check(audit.status() == 200 && audit.body().path("total").asInt() >= 2,
        "patient reads its access log as FHIR R4 AuditEvents", patient, audit.status() + ", "
            + audit.body().path("total").asInt() + " reads");
    Answer consents = privacy.get("/api/patients/" + pseudonym + "/consents");
    check(consents.status() == 200 && consents.body().path("total").asInt() == 1,
        "privacy officer reads the grants as FHIR R4 Consents", privacy, consents.status() + ", "
            + consents.body().path("total").asInt() + " consent");
    expect(403, "NO_ACCESS", "consultant reads the patient's notifications", consultant.api,
        consultant.api.get("/api/patients/" + pseudonym + "/notifications"));
    expect(403, "NO_ACCESS", "admin-2 lists them", admin2, admin2.get("/api/patients/" + pseudonym + "/transactions"));

    section("The patient proves its identity in zero knowledge (its key stays on its side) and reads with a token");
    proofs(http, patient, patientProof, doctor.api, consultant.api);

    section("Revocation closes the record again");
    expect(201, null, "patient revokes the consultant", patient, patient.submit(tx(patient, patientKey,
        new TxBody.AccessRevoked(record, consultant.api.identityId()))));
    awaitRefused(consultant, letterOf, "TREAT", "ACCESS_REVOKED", "consultant reads again");

    section("Telemedicine: a consent for a window of a few seconds");
    long window = System.currentTimeMillis() + 5_000;
    expect(201, null, "patient consents: TREAT for the next 5 s", patient, me.records.grant(letterOf,
        consultant.api.identityId(), ConsentPolicy.access("TREAT", System.currentTimeMillis()).encode(), window,
        patientKey, nonce++, patientKem.privateKey()));
    awaitRead(consultant, letterOf, "TREAT", letter, "consultant reads during the window");
    Thread.sleep(Math.max(0, window - System.currentTimeMillis() + 200));
    refused(consultant, letterOf, "TREAT", "ACCESS_EXPIRED", "consultant reads after it");

    section("Break-glass: an emergency doctor of another hospital");
    refused(emergency, letterOf, "ETREAT", "NO_ACCESS", "emergency doctor reads without a grant");
    expect(201, null, "emergency doctor breaks the glass, with a justification", emergency.api, emergency.records.submit(
        new TxBody.BreakGlass(record, emergency.api.identityId(), "unconscious in our emergency room, allergies unknown",
            System.currentTimeMillis() + 3_600_000), emergency.signing, nonce++));
    Answer alerts = privacy.get("/api/organisations/hospital-1/alerts");
    check(alerts.status() == 200 && alerts.body().path("alerts").findValuesAsText("clinician")
        .contains(emergency.api.identityId()), "privacy officer of hospital-1 is alerted", privacy,
        alerts.status() + ", " + alerts.body().path("alerts").size() + " alert(s)");
    awaitRefused(emergency, letterOf, "ETREAT", "NO_ENVELOPE", "emergency doctor reads before the key is shared");
    check(doctor.records.share(letterOf, emergency.api.identityId(), doctor.kem.privateKey()) != null,
        "the hospital's custodian re-wraps the key for it", doctor.api, "envelope stored");
    read(emergency, letterOf, "ETREAT", letter, "emergency doctor reads and decrypts it for ETREAT");

    section("The consortium enrols an operator: admins of two of three member hospitals approve");
    TxBody.Identity operator = new TxBody.Identity("op-" + run, "operator", "hospital-2", MlDsa65.generate().publicKey());
    byte[] approval = TxBody.ConsortiumEnrolled.approvalMessage("latticare-embedded", operator);
    expect(201, null, "admin submits the enrolment with both approvals", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.ConsortiumEnrolled(operator, List.of(
            new TxBody.Approval("admin", keyOf(keys, "admin").sign(approval)),
            new TxBody.Approval("admin-2", keyOf(keys, "admin-2").sign(approval)))))));

    section("Erasure");
    expect(201, null, "patient erases the record", patient, patient.submit(tx(patient, patientKey, new TxBody.RecordErased(record))));
    refused(me, letterOf, "PATRQT", "RECORD_ERASED", "patient reads it after erasure (every node erased its copy)");

    section("Requests that are not signed, or replayed, reach nothing");
    HttpRequest unsigned = HttpRequest.newBuilder(url.resolve("/api/chain/head")).GET().build();
    expect(401, "UNSIGNED", "an unsigned request", null, admin.send(unsigned));
    HttpRequest once = admin.signed("GET", "/api/chain/head", new byte[0]);
    expect(200, null, "a signed request", admin, admin.send(once));
    expect(401, "REPLAYED", "the same request again", admin, admin.send(once));

    System.out.printf("%n%s%n", failures == 0 ? "Every step answered as expected."
        : failures + " step(s) did not answer as expected (see above).");
    return failures == 0 ? 0 : 1;
  }

  /**
   * A ring session run from here (the prover's secret never leaves this process), its token used for the
   * patient's own view and refused elsewhere, a login with a non-interactive proof and its replay refused.
   */
  private void proofs(HttpClient http, ApiClient patient, IdentityKeyPair proofKey, ApiClient clinician,
      ApiClient stranger) throws Exception {
    String views = "/api/patients/" + patient.identityId();
    expect(403, "NOT_THE_PATIENT", "clinician opens a proof session for the patient", clinician,
        clinician.post(views + "/proofs", ""));
    ProofClient.Token token;
    try {
      token = new ProofClient(patient).proveOverRing(proofKey);
      check(true, "patient proves its identity to the verifier ring", patient, "IdentityVerified "
          + token.evidence().substring("ring:".length(), "ring:".length() + 16) + "…, token from " + token.issuer());
    } catch (RecordClient.ApiException refused) {
      check(false, "patient proves its identity to the verifier ring", patient, refused.getMessage());
      return;
    }
    expect(200, null, "patient lists its transactions with the token", patient,
        ProofClient.getWithToken(http, url, views + "/transactions", token.token()));
    expect(403, "TOKEN_NOT_ALLOWED", "the token used for the chain's head", patient,
        ProofClient.getWithToken(http, url, "/api/chain/head", token.token()));
    expect(403, "TOKEN_NOT_ALLOWED", "the token used for another identity's view", patient,
        ProofClient.getWithToken(http, url, "/api/patients/" + stranger.identityId() + "/transactions", token.token()));
    expect(401, "TOKEN_INVALID", "a token with one character changed", patient, ProofClient.getWithToken(http, url,
        views + "/transactions", token.token().substring(0, 40) + (token.token().charAt(40) == 'A' ? 'B' : 'A')
            + token.token().substring(41)));
    String nonce = ApiClient.send(http, ProofClient.open(url, "/api/identity/nonces", "")).body().path("nonce").asText();
    String login = ProofClient.loginBody(patient.identityId(), nonce, NonInteractiveProof.prove(proofKey,
        LoginNonces.context(nonce, patient.identityId()), RandomSource.secure()).proof().encode());
    expect(201, null, "patient logs in with a non-interactive proof over a nonce", patient,
        ApiClient.send(http, ProofClient.open(url, "/api/identity/tokens", login)));
    expect(401, "NONCE_USED", "the same proof sent again", null,
        ApiClient.send(http, ProofClient.open(url, "/api/identity/tokens", login)));
  }

  /** An identity's keys, kept here for the demo as its own wallet would keep them. */
  private record Wallet(ApiClient api, RecordClient records, MlDsa65.KeyPair signing, KemKeyPair kem) {
    RecordEncryption.Grantee grantee() {
      return new RecordEncryption.Grantee(api.identityId(), kem.publicKey());
    }
  }

  /** Keys made here (a wallet would make them), enrolled by {@code admin} with both public keys. */
  private Wallet enrol(HttpClient http, ApiClient admin, Path keys, String adminId, String id, String role,
      String organisation) throws Exception {
    MlDsa65.KeyPair signing = MlDsa65.generate();
    KemKeyPair kem = KEM.generateKeyPair(RANDOM);
    expect(201, null, adminId + " enrols " + role + " " + id, admin, admin.submit(tx(admin, keyOf(keys, adminId),
        new TxBody.IdentityEnrolled(new TxBody.Identity(id, role, organisation,
            IdentityKeys.of(signing.publicKey(), kem.publicKey()).encode())))));
    ApiClient api = new ApiClient(http, url, id, signing);
    return new Wallet(api, new RecordClient(api, new RecordEncryption(KEM, RANDOM)), signing, kem);
  }

  /** Reads and decrypts; the step passes if the plaintext is the letter. */
  private void read(Wallet reader, RecordBinding record, String purpose, byte[] expected, String step) throws Exception {
    ByteArrayOutputStream opened = new ByteArrayOutputStream();
    try {
      reader.records.read(record, purpose, reader.signing, nonce++, reader.kem.privateKey(), opened, n -> { });
      check(Arrays.equals(opened.toByteArray(), expected), step, reader.api,
          "\"" + new String(opened.toByteArray(), StandardCharsets.UTF_8).substring(0, 30) + "…\"");
    } catch (RecordClient.ApiException refused) {
      check(false, step, reader.api, refused.getMessage());
    }
  }

  /** A read that must be refused with {@code code}. */
  private void refused(Wallet reader, RecordBinding record, String purpose, String code, String step) throws Exception {
    check(code.equals(readCode(reader, record, purpose)), step, reader.api, lastRefusal);
  }

  private String lastRefusal = "";

  private String readCode(Wallet reader, RecordBinding record, String purpose) throws Exception {
    try {
      reader.records.read(record, purpose, reader.signing, nonce++, reader.kem.privateKey(),
          java.io.OutputStream.nullOutputStream(), n -> { });
      lastRefusal = "read (not refused)";
      return "OK";
    } catch (RecordClient.ApiException refused) {
      lastRefusal = refused.getMessage();
      return refused.code();
    }
  }

  /** Contracts hear of a committed consent or revocation a moment later: ask again for a few seconds. */
  private void awaitRead(Wallet reader, RecordBinding record, String purpose, byte[] expected, String step) throws Exception {
    awaitCode(reader, record, purpose, "OK");
    read(reader, record, purpose, expected, step);
  }

  private void awaitRefused(Wallet reader, RecordBinding record, String purpose, String code, String step) throws Exception {
    awaitCode(reader, record, purpose, code);
    refused(reader, record, purpose, code, step);
  }

  private void awaitCode(Wallet reader, RecordBinding record, String purpose, String code) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!code.equals(readCode(reader, record, purpose)) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private ApiClient client(HttpClient http, Path keys, String id) {
    return new ApiClient(http, url, id, keyOf(keys, id));
  }

  private static MlDsa65.KeyPair keyOf(Path keys, String id) {
    return ConsortiumFiles.readKey(keys.resolve(id + ".key"));
  }

  private Transaction tx(ApiClient by, MlDsa65.KeyPair key, TxBody body) {
    return Transaction.sign(key, by.identityId(), nonce++, System.currentTimeMillis(), body);
  }

  private static void section(String title) {
    System.out.printf("%n== %s%n", title);
  }

  private void check(boolean asExpected, String step, ApiClient by, String detail) {
    if (!asExpected) {
      failures++;
    }
    System.out.printf("%s %-52s %-16s -> %s%n", asExpected ? "ok " : "!! ", step, by.identityId(), detail);
  }

  private void expect(int status, String code, String step, ApiClient by, Answer answer) {
    boolean asExpected = answer.status() == status && (code == null || code.equals(answer.code()));
    if (!asExpected) {
      failures++;
    }
    String detail = answer.status() >= 400 ? answer.code() + ": " + answer.body().path("message").asText()
        : answer.body().has("height") ? "block " + answer.body().get("height").asText() : "";
    System.out.printf("%s %-52s %-16s -> %d %s%n", asExpected ? "ok " : "!! ", step,
        by == null ? "(nobody)" : by.identityId(), answer.status(), detail);
  }
}
