package org.latticare.ledger;

import org.latticare.lattice.sign.MlDsa65;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.latticare.ledger.tx.TxBody;

/**
 * A small consortium with keys derived from fixed seeds, so that tests are reproducible: three nodes
 * (the first two producers), a hospital admin, a clinician, a researcher, an operator and a patient.
 */
public final class Fixtures {

  public static final List<String> NODES = List.of("node-1", "node-2", "node-3");
  public static final MlDsa65.KeyPair ADMIN = key("admin");
  public static final MlDsa65.KeyPair CLINICIAN = key("clinician");
  public static final MlDsa65.KeyPair RESEARCHER = key("researcher");
  public static final MlDsa65.KeyPair OPERATOR = key("operator");
  public static final MlDsa65.KeyPair PATIENT = key("patient");
  public static final MlDsa65.KeyPair OUTSIDER = key("outsider");
  public static final String PATIENT_ID = "p-7f3a";
  /** The clock of the fixtures' transactions and blocks: a transaction with nonce n is signed at TIME + n. */
  public static final long TIME = 1_700_000_000_000L;

  private Fixtures() {}

  /** A key from a readable label: never do this outside tests. */
  public static MlDsa65.KeyPair key(String label) {
    byte[] seed = Sha3Hash.of(("latticare test key " + label).getBytes(StandardCharsets.UTF_8)).bytes();
    return MlDsa65.KeyPair.fromSeed(seed);
  }

  public static MlDsa65.KeyPair nodeKey(String nodeId) {
    return key(nodeId);
  }

  public static TxBody.ConsortiumFounded founding() {
    List<TxBody.Member> members = new ArrayList<>();
    for (int i = 0; i < NODES.size(); i++) {
      List<String> roles = i < 2 ? List.of("verifier", "producer") : List.of("verifier");
      members.add(new TxBody.Member("hospital-" + (i + 1), NODES.get(i), roles, nodeKey(NODES.get(i)).publicKey()));
    }
    List<TxBody.Identity> identities = List.of(
        new TxBody.Identity("admin", "hospital-admin", "hospital-1", ADMIN.publicKey()),
        new TxBody.Identity("clinician", "clinician", "hospital-1", CLINICIAN.publicKey()),
        new TxBody.Identity("researcher", "researcher", "university-1", RESEARCHER.publicKey()),
        new TxBody.Identity("operator", "operator", "hospital-1", OPERATOR.publicKey()),
        new TxBody.Identity(PATIENT_ID, "patient", "hospital-1", PATIENT.publicKey()));
    return new TxBody.ConsortiumFounded("test-consortium", members, identities);
  }

  public static Block genesis() {
    return Block.genesis(founding());
  }

  public static Transaction tx(MlDsa65.KeyPair key, String submitter, long nonce, TxBody body) {
    return Transaction.sign(key, submitter, nonce, TIME + nonce, body);
  }

  /** One example of every body that a transaction (not the genesis block) can carry. */
  public static List<TxBody> everyBody() {
    Sha3Hash h = Sha3Hash.of(new byte[] {1, 2, 3});
    return List.of(
        new TxBody.IdentityEnrolled(new TxBody.Identity("dr-who", "clinician", "hospital-2", key("dr").publicKey())),
        new TxBody.PatientEnrolled("p-0001", new byte[] {9, 8, 7}, h),
        new TxBody.RecordAnchored("r-1", "p-0001", h, 1234, "chain", new byte[] {1, 1, 2, 3, 5, 8}),
        new TxBody.AccessGranted("r-1", "dr-who", "role=clinician;purpose=care", 1_800_000_000_000L, new byte[] {4}),
        new TxBody.AccessRevoked("r-1", "dr-who"),
        new TxBody.AccessExpired("r-1", "dr-who"),
        new TxBody.RecordAccessed("r-1", "clinician", "treatment"),
        new TxBody.RecordErased("r-1"),
        new TxBody.IdentityVerifiedV1("p-0001", "s-42", h, List.of("node-1", "node-2")),
        new TxBody.StudyCreated("study-1", "HbA1c across centres", 20, new byte[] {7, 7}),
        new TxBody.StatisticSubmitted("study-1", "hba1c-sum", 31, new byte[] {3, 1, 4}),
        new TxBody.AggregateReleased("study-1", "hba1c-sum", 62, List.of(1234L, -5L, 0L)),
        new TxBody.IdentityVerified("p-0001", "s-43", h, List.of(new TxBody.Verdict("node-1", new byte[] {6, 6}),
            new TxBody.Verdict("node-2", new byte[] {7}))),
        new TxBody.ConsortiumEnrolled(new TxBody.Identity("ops-2", "operator", "hospital-2", key("ops-2").publicKey()),
            List.of(new TxBody.Approval("admin", new byte[] {8}), new TxBody.Approval("admin-2", new byte[] {9, 9}))),
        new TxBody.BreakGlass("r-1", "clinician", "unconscious in the emergency room", 1_800_000_000_000L));
  }
}
