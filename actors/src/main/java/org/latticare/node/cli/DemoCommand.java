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
import org.latticare.ledger.IdentityKeys;
import org.latticare.ledger.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.RecordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latticare demo}: against a running {@code latticare up}, tells the access-control story with
 * the embedded consortium's client keys, every request signed by the identity that makes it: a
 * hospital enrols a patient and anchors a record; escalations are refused; a consultant of another
 * hospital is refused until the patient grants it access, then reads; the patient and its privacy
 * officer see the log; revocation closes the record again; the consortium (two hospitals' admins)
 * enrols an operator; erasure; unsigned and replayed requests. Each answer is printed with its code.
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
    ApiClient consultant = client(http, keys, "consultant");
    ApiClient privacy = client(http, keys, "privacy-officer");
    String run = Long.toString(nonce, 36);
    String pseudonym = "p-" + run;
    String record = "r-" + run;
    // The patient's keys are made here for the demo only; a patient's wallet keeps its own.
    MlDsa65.KeyPair patientKey = MlDsa65.generate();
    KemKeyPair patientKem = KEM.generateKeyPair(RANDOM);
    ApiClient patient = new ApiClient(http, url, pseudonym, patientKey);
    byte[] letter = ("Discharge letter for " + pseudonym + ": asthma (J45.909), inhaler twice daily.")
        .getBytes(StandardCharsets.UTF_8);

    section("A hospital enrols a patient, and stores and anchors an encrypted record");
    expect(201, null, "admin enrols the patient's identity (ML-DSA-65 and ML-KEM-768 keys)", admin,
        admin.submit(tx(admin, keyOf(keys, "admin"), new TxBody.IdentityEnrolled(new TxBody.Identity(pseudonym,
            "patient", "hospital-1", IdentityKeys.of(patientKey.publicKey(), patientKem.publicKey()).encode())))));
    expect(201, null, "admin enrols the patient", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.PatientEnrolled(pseudonym, new byte[32], Sha3Hash.of(pseudonym.getBytes())))));
    RecordClient hospital = new RecordClient(admin, new RecordEncryption(KEM, RANDOM));
    RecordClient.Stored stored = hospital.store(record, pseudonym, new ByteArrayInputStream(letter),
        List.of(new RecordEncryption.Grantee(pseudonym, patientKem.publicKey())), sent -> { });
    check(stored.nodes() >= 2, "admin seals the letter locally and stores it off chain", admin,
        "on " + stored.nodes() + " nodes, digest " + stored.digest().hex().substring(0, 16) + "…");
    expect(201, null, "admin anchors it: digest and size only", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.RecordAnchored(record, pseudonym, stored.digest(), stored.bytes(), "store", new byte[0]))));
    ByteArrayOutputStream opened = new ByteArrayOutputStream();
    new RecordClient(patient, new RecordEncryption(KEM, RANDOM)).read(new RecordBinding(record, pseudonym),
        "my own record", patientKey, nonce++, patientKem.privateKey(), opened, n -> { });
    check(Arrays.equals(opened.toByteArray(), letter), "patient reads and decrypts it (the read is logged first)",
        patient, "\"" + new String(opened.toByteArray(), StandardCharsets.UTF_8).substring(0, 30) + "…\"");

    section("Roles cannot be escalated");
    expect(400, "QUORUM_REQUIRED", "admin enrols an operator", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.IdentityEnrolled(new TxBody.Identity("op-" + run, "operator", "hospital-1",
            MlDsa65.generate().publicKey())))));
    expect(400, "OTHER_ORGANISATION", "admin enrols a clinician into hospital-2", admin,
        admin.submit(tx(admin, keyOf(keys, "admin"), new TxBody.IdentityEnrolled(new TxBody.Identity("dr-" + run,
            "clinician", "hospital-2", MlDsa65.generate().publicKey())))));

    section("A consultant of another hospital is refused until the patient grants access");
    expect(400, "NO_ACCESS", "consultant logs a read without a grant", consultant,
        consultant.submit(tx(consultant, keyOf(keys, "consultant"), new TxBody.RecordAccessed(record, "consultant", "second opinion"))));
    expect(403, "NO_ACCESS", "consultant lists the patient's transactions", consultant,
        consultant.get("/api/patients/" + pseudonym + "/transactions"));
    expect(201, null, "patient grants the consultant for a day", patient, patient.submit(tx(patient, patientKey,
        new TxBody.AccessGranted(record, "consultant", "purpose=second-opinion", System.currentTimeMillis() + DAY, new byte[0]))));
    expect(201, null, "consultant logs its read", consultant, consultant.submit(tx(consultant, keyOf(keys, "consultant"),
        new TxBody.RecordAccessed(record, "consultant", "second opinion"))));
    expect(200, null, "consultant lists the patient's transactions", consultant,
        consultant.get("/api/patients/" + pseudonym + "/transactions"));

    section("The patient and its privacy officer see who did what");
    expect(200, null, "patient lists its transactions", patient, patient.get("/api/patients/" + pseudonym + "/transactions"));
    expect(200, null, "privacy officer lists them", privacy, privacy.get("/api/patients/" + pseudonym + "/transactions"));
    expect(200, null, "patient reads its notifications (grant, read)", patient,
        patient.get("/api/patients/" + pseudonym + "/notifications"));
    Answer audit = patient.get("/api/patients/" + pseudonym + "/audit-events");
    check(audit.status() == 200 && audit.body().path("total").asInt() >= 2,
        "patient reads its access log as FHIR R4 AuditEvents", patient, audit.status() + ", "
            + audit.body().path("total").asInt() + " reads");
    Answer consents = privacy.get("/api/patients/" + pseudonym + "/consents");
    check(consents.status() == 200 && consents.body().path("total").asInt() == 1,
        "privacy officer reads the grants as FHIR R4 Consents", privacy, consents.status() + ", "
            + consents.body().path("total").asInt() + " consent");
    expect(403, "NO_ACCESS", "consultant reads the patient's notifications", consultant,
        consultant.get("/api/patients/" + pseudonym + "/notifications"));
    expect(403, "NO_ACCESS", "admin-2 lists them", admin2, admin2.get("/api/patients/" + pseudonym + "/transactions"));

    section("Revocation closes the record again");
    expect(201, null, "patient revokes the consultant", patient, patient.submit(tx(patient, patientKey,
        new TxBody.AccessRevoked(record, "consultant"))));
    expect(400, "ACCESS_REVOKED", "consultant logs another read", consultant, consultant.submit(tx(consultant,
        keyOf(keys, "consultant"), new TxBody.RecordAccessed(record, "consultant", "after revocation"))));

    section("The consortium enrols an operator: admins of two of three member hospitals approve");
    TxBody.Identity operator = new TxBody.Identity("op-" + run, "operator", "hospital-2", MlDsa65.generate().publicKey());
    byte[] approval = TxBody.ConsortiumEnrolled.approvalMessage("latticare-embedded", operator);
    expect(201, null, "admin submits the enrolment with both approvals", admin, admin.submit(tx(admin, keyOf(keys, "admin"),
        new TxBody.ConsortiumEnrolled(operator, List.of(
            new TxBody.Approval("admin", keyOf(keys, "admin").sign(approval)),
            new TxBody.Approval("admin-2", keyOf(keys, "admin-2").sign(approval)))))));

    section("Erasure");
    expect(201, null, "patient erases the record", patient, patient.submit(tx(patient, patientKey, new TxBody.RecordErased(record))));
    expect(400, "RECORD_ERASED", "a read after erasure", patient, patient.submit(tx(patient, patientKey,
        new TxBody.RecordAccessed(record, pseudonym, "after erasure"))));

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
