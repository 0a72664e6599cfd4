package org.latticare.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;
import org.latticare.ledger.Fixtures;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;

/**
 * The contracts' rules as an attacker tries them: escalating a role, reading without a grant,
 * granting to nobody, revoking what was never granted, timestamps of any value, an identity
 * verification without the ring's signatures. Each refusal has its code, and a refused block changes
 * nothing.
 */
class ContractRulesTest {

  private static final ForkJoinPool POOL = ForkJoinPool.commonPool();
  private static final long DAY = 86_400_000L;
  private static final MlDsa65.KeyPair ADMIN_2 = Fixtures.key("admin-2");
  private static final MlDsa65.KeyPair ADMIN_3 = Fixtures.key("admin-3");
  private static final MlDsa65.KeyPair CARDIOLOGIST = Fixtures.key("cardiologist");
  private static final MlDsa65.KeyPair PRIVACY = Fixtures.key("privacy");

  /** The fixtures' consortium plus an admin for each of hospital-2 and hospital-3, a second hospital's clinician and a privacy officer. */
  private static Block genesis() {
    TxBody.ConsortiumFounded base = Fixtures.founding();
    List<TxBody.Identity> identities = new ArrayList<>(base.identities());
    identities.add(new TxBody.Identity("admin-2", "hospital-admin", "hospital-2", ADMIN_2.publicKey()));
    identities.add(new TxBody.Identity("admin-3", "hospital-admin", "hospital-3", ADMIN_3.publicKey()));
    identities.add(new TxBody.Identity("cardiologist", "clinician", "hospital-2", CARDIOLOGIST.publicKey()));
    identities.add(new TxBody.Identity("privacy", "privacy-officer", "hospital-1", PRIVACY.publicKey()));
    return Block.genesis(new TxBody.ConsortiumFounded(base.consortium(), base.members(), identities));
  }

  /** A chain whose blocks are 1 s apart, starting at the fixtures' time. */
  private static final class Chain {
    final LedgerState state = LedgerState.fromGenesis(genesis());
    long time = Fixtures.TIME;

    void accept(Transaction... txs) {
      Block block = next(txs);
      assertThat(state.rejectBlock(block, POOL)).as("block refused").isEmpty();
      state.append(block);
    }

    /** The rejection of the first transaction that does not fit, checked as the next block would check it, with the chain unchanged. */
    Rejection.Code refusal(Transaction... txs) {
      Block head = state.head();
      Block block = next(txs);
      Optional<String> refused = state.rejectBlock(block, POOL);
      assertThat(refused).as("block accepted").isPresent();
      LedgerView view = state.overlay();
      for (Transaction tx : txs) {
        Optional<Rejection> rejection = TransactionRules.check(tx, view, block.header().timestampMillis());
        if (rejection.isPresent()) {
          assertThat(refused.get()).contains(rejection.get().toString());
          assertThat(state.head()).isEqualTo(head);
          return rejection.get().code();
        }
        TransactionRules.apply(tx, view);
      }
      throw new AssertionError("the rules accept every transaction, but the block was refused: " + refused.get());
    }

    Block next(Transaction... txs) {
      time += 1000;
      return Block.produce(state.head(), List.of(txs), "node-1", Fixtures.nodeKey("node-1"), time);
    }

    Transaction tx(MlDsa65.KeyPair key, String submitter, long nonce, TxBody body) {
      return Transaction.sign(key, submitter, nonce, time + 1000, body);
    }
  }

  private static long nonce = 1;

  private static Chain withRecord() {
    Chain chain = new Chain();
    chain.accept(
        chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.PatientEnrolled(Fixtures.PATIENT_ID, new byte[] {1}, Sha3Hash.ZERO)),
        chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.RecordAnchored("r-1", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1,
            "store", new byte[0])));
    return chain;
  }

  private static TxBody.Identity identity(String id, String role, String organisation) {
    return new TxBody.Identity(id, role, organisation, Fixtures.key(id).publicKey());
  }

  // ---- roles that cannot be escalated ------------------------------------------------------------

  @Test
  void anAdminCannotEnrolAnOperatorNorIntoAnotherOrganisation() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.IdentityEnrolled(identity("mallory", "operator", "hospital-1"))))).isEqualTo(Rejection.Code.QUORUM_REQUIRED);
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.IdentityEnrolled(identity("mallory", "clinician", "hospital-2"))))).isEqualTo(Rejection.Code.OTHER_ORGANISATION);
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++,
        new TxBody.IdentityEnrolled(identity("mallory", "clinician", "hospital-1"))))).isEqualTo(Rejection.Code.ROLE_NOT_ALLOWED);
    chain.accept(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.IdentityEnrolled(identity("dr-new", "clinician", "hospital-1"))));
    assertThat(chain.state.identity("dr-new")).isPresent();
  }

  @Test
  void aConsentPermitsItsPurposesWithinItsPeriodOnly() {
    Chain chain = withRecord();
    long start = chain.time + 10_000;
    String telemedicine = ConsentPolicy.access("TREAT", start).encode();
    for (String bad : new String[] {"consent/v1;action=access;purpose=treatment;start=1", "consent/v1;garbage"}) {
      assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1",
          "cardiologist", bad, chain.time + DAY, new byte[0])))).isEqualTo(Rejection.Code.BAD_POLICY);
    }
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1",
        "cardiologist", ConsentPolicy.access("TREAT", chain.time + DAY).encode(), chain.time + DAY, new byte[0]))))
        .as("a period that ends before it starts").isEqualTo(Rejection.Code.BAD_PERIOD);
    // A telemedicine window: a consultant of another hospital, for treatment, 10 s from now for one minute.
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1",
        "cardiologist", telemedicine, start + 60_000, new byte[0])));
    LedgerView view = chain.state;
    TxBody.Identity cardiologist = view.identity("cardiologist").orElseThrow();
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", start - 1, "TREAT")).get().extracting(Rejection::code)
        .isEqualTo(Rejection.Code.ACCESS_NOT_STARTED);
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", start, "TREAT")).isEmpty();
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", start, "HRESCH")).get().extracting(Rejection::code)
        .isEqualTo(Rejection.Code.WRONG_PURPOSE);
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", start + 60_000, "TREAT")).get().extracting(Rejection::code)
        .isEqualTo(Rejection.Code.ACCESS_EXPIRED);
    assertThat(AccessPolicy.mayViewPatient(view, cardiologist, Fixtures.PATIENT_ID, start - 1))
        .as("no view of the patient before the window").isPresent();
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.RecordAccessed("r-1",
        "cardiologist", "TREAT")))).as("the block's time is before the window").isEqualTo(Rejection.Code.ACCESS_NOT_STARTED);
    chain.time = start;
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.RecordAccessed("r-1",
        "cardiologist", "HRESCH")))).isEqualTo(Rejection.Code.WRONG_PURPOSE);
    chain.accept(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.RecordAccessed("r-1", "cardiologist", "TREAT")));
    // A grant labelled before consents existed restricts no purpose.
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1", "researcher",
        "a study", chain.time + DAY, new byte[0])));
    assertThat(AccessPolicy.mayRead(view, view.identity("researcher").orElseThrow(), "r-1", chain.time + 1000,
        "anything")).isEmpty();
  }

  @Test
  void aClinicianBreaksTheGlassWithAJustificationForAShortEmergencyAccessAndThePrivacyOfficerIsAlerted() {
    Chain chain = withRecord();
    String why = "unconscious in our emergency room, allergies unknown";
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.BreakGlass("r-1", "someone-else",
        why, chain.time + 3_600_000)))).isEqualTo(Rejection.Code.READER_MISMATCH);
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.BreakGlass("r-1", "cardiologist",
        "urgent", chain.time + 3_600_000)))).isEqualTo(Rejection.Code.JUSTIFICATION_REQUIRED);
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.BreakGlass("r-1", "cardiologist",
        why, chain.time + 5 * 3_600_000)))).isEqualTo(Rejection.Code.BAD_PERIOD);
    assertThat(chain.refusal(chain.tx(Fixtures.CLINICIAN, "clinician", nonce++, new TxBody.BreakGlass("r-1", "clinician",
        why, chain.time + 3_600_000)))).as("its own hospital's clinician reads anyway").isEqualTo(Rejection.Code.ALREADY_ALLOWED);
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.BreakGlass("r-1",
        Fixtures.PATIENT_ID, why, chain.time + 3_600_000)))).isEqualTo(Rejection.Code.ROLE_NOT_ALLOWED);
    assertThat(chain.state.alerts("hospital-1")).isEmpty();

    chain.accept(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.BreakGlass("r-1", "cardiologist", why,
        chain.time + 1000 + 3_600_000)));
    LedgerView view = chain.state;
    TxBody.Identity cardiologist = view.identity("cardiologist").orElseThrow();
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", chain.time + 1, "ETREAT")).isEmpty();
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", chain.time + 1, "TREAT")).get()
        .extracting(Rejection::code).isEqualTo(Rejection.Code.WRONG_PURPOSE);
    assertThat(AccessPolicy.mayRead(view, cardiologist, "r-1", chain.time + 3_600_000, "ETREAT")).get()
        .extracting(Rejection::code).isEqualTo(Rejection.Code.ACCESS_EXPIRED);
    chain.accept(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.RecordAccessed("r-1", "cardiologist", "ETREAT")));
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.BreakGlass("r-1", "cardiologist",
        why, chain.time + 3_600_000)))).as("no second opening while the first lasts").isEqualTo(Rejection.Code.ALREADY_ALLOWED);

    assertThat(chain.state.alerts("hospital-1")).singleElement().satisfies(alert -> {
      assertThat(alert.pseudonym()).isEqualTo(Fixtures.PATIENT_ID);
      assertThat(alert.opening().type()).isEqualTo(org.latticare.ledger.tx.TxType.BREAK_GLASS);
      assertThat(alert.opening().reader()).isEqualTo("cardiologist");
      assertThat(alert.opening().purpose()).isEqualTo(why);
    });
    assertThat(chain.state.alerts("hospital-2")).isEmpty();
    assertThat(LedgerState.fromSnapshot(chain.state.toSnapshot(), chain.state.index()).alerts("hospital-1"))
        .isEqualTo(chain.state.alerts("hospital-1"));
  }

  @Test
  void ciphertextAndKeyEnvelopesNeverGoOnChainOnlyTheirDigests() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.RecordAnchored("r-inline",
        Fixtures.PATIENT_ID, Sha3Hash.of(new byte[] {1}), 1, "store", new byte[] {1})))).isEqualTo(Rejection.Code.INLINE_CIPHERTEXT);
    for (byte[] envelope : new byte[][] {new byte[] {4}, new byte[33], new byte[1100]}) {
      assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1",
          "cardiologist", "care", chain.time + DAY, envelope)))).isEqualTo(Rejection.Code.INLINE_CIPHERTEXT);
    }
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessGranted("r-1",
        "cardiologist", "care", chain.time + DAY, Sha3Hash.of(new byte[] {4}).bytes())));
    chain.accept(chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.RecordAnchored("r-digest", Fixtures.PATIENT_ID,
        Sha3Hash.of(new byte[] {1}), 1, "store", new byte[0])));
  }

  @Test
  void anIdentityEnrolsWithASigningKeyOrWithBothKeysAndNothingElse() {
    Chain chain = withRecord();
    MlDsa65.KeyPair nurse = Fixtures.key("nurse");
    byte[] kem = new byte[org.latticare.ledger.IdentityKeys.KEM_KEY_BYTES];
    new java.security.SecureRandom().nextBytes(kem);
    byte[] both = org.latticare.ledger.IdentityKeys.of(nurse.publicKey(), kem).encode();
    for (byte[] bad : new byte[][] {new byte[] {0}, java.util.Arrays.copyOf(both, both.length - 1),
        java.util.Arrays.copyOf(nurse.publicKey(), 100)}) {
      assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.IdentityEnrolled(
          new TxBody.Identity("nurse", "clinician", "hospital-1", bad))))).isEqualTo(Rejection.Code.BAD_KEY);
    }
    chain.accept(chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.IdentityEnrolled(
        new TxBody.Identity("nurse", "clinician", "hospital-1", both))));
    assertThat(chain.state.identity("nurse").orElseThrow().keys().orElseThrow().kem())
        .hasValueSatisfying(k -> assertThat(k).isEqualTo(kem));
    // Its transactions verify under the ML-DSA-65 key inside the version 2 layout.
    chain.accept(chain.tx(nurse, "nurse", nonce++, new TxBody.RecordAccessed("r-1", "nurse", "treatment")));
    Transaction forged = chain.tx(Fixtures.key("not-the-nurse"), "nurse", nonce++,
        new TxBody.RecordAccessed("r-1", "nurse", "treatment"));
    assertThat(chain.state.rejectTransaction(forged, chain.time + 1000)).get().extracting(Rejection::code)
        .isEqualTo(Rejection.Code.BAD_SIGNATURE);
  }

  @Test
  void anOperatorCannotRecordAnIdentityVerificationWithoutTheRingsSignatures() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerifiedV1(
        Fixtures.PATIENT_ID, "s-1", Sha3Hash.ZERO, List.of("node-1", "node-2", "node-3")))))
        .isEqualTo(Rejection.Code.VERDICTS_REQUIRED);
    byte[] message = TxBody.IdentityVerified.verdictMessage("test-consortium", Fixtures.PATIENT_ID, "s-2", Sha3Hash.ZERO);
    TxBody.Verdict one = new TxBody.Verdict("node-1", Fixtures.nodeKey("node-1").sign(message));
    TxBody.Verdict two = new TxBody.Verdict("node-2", Fixtures.nodeKey("node-2").sign(message));
    TxBody.Verdict forged = new TxBody.Verdict("node-3", Fixtures.OPERATOR.sign(message));
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerified(
        Fixtures.PATIENT_ID, "s-2", Sha3Hash.ZERO, List.of(one))))).isEqualTo(Rejection.Code.VERDICTS_REQUIRED);
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerified(
        Fixtures.PATIENT_ID, "s-2", Sha3Hash.ZERO, List.of(one, one))))).isEqualTo(Rejection.Code.VERDICTS_REQUIRED);
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerified(
        Fixtures.PATIENT_ID, "s-2", Sha3Hash.ZERO, List.of(one, forged))))).isEqualTo(Rejection.Code.BAD_SIGNATURE);
    assertThat(chain.refusal(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerified(
        Fixtures.PATIENT_ID, "s-other", Sha3Hash.ZERO, List.of(one, two))))).isEqualTo(Rejection.Code.BAD_SIGNATURE);
    chain.accept(chain.tx(Fixtures.OPERATOR, "operator", nonce++, new TxBody.IdentityVerified(
        Fixtures.PATIENT_ID, "s-2", Sha3Hash.ZERO, List.of(one, two))));
  }

  @Test
  void aConsortiumRoleNeedsApprovalsFromAMajorityOfMemberOrganisations() {
    Chain chain = withRecord();
    TxBody.Identity operator = identity("ops-new", "operator", "hospital-2");
    byte[] message = TxBody.ConsortiumEnrolled.approvalMessage("test-consortium", operator);
    TxBody.Approval byAdmin = new TxBody.Approval("admin", Fixtures.ADMIN.sign(message));
    TxBody.Approval byAdmin2 = new TxBody.Approval("admin-2", ADMIN_2.sign(message));
    TxBody.Approval byClinician = new TxBody.Approval("clinician", Fixtures.CLINICIAN.sign(message));
    TxBody.Approval forged = new TxBody.Approval("admin-3", ADMIN_2.sign(message));
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin))))).isEqualTo(Rejection.Code.QUORUM_NOT_MET);
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin, byAdmin))))).isEqualTo(Rejection.Code.QUORUM_NOT_MET);
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin, byClinician))))).isEqualTo(Rejection.Code.QUORUM_NOT_MET);
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin, forged))))).isEqualTo(Rejection.Code.BAD_SIGNATURE);
    TxBody.Identity other = identity("ops-other", "operator", "hospital-2");
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.ConsortiumEnrolled(other, List.of(byAdmin, byAdmin2))))).isEqualTo(Rejection.Code.BAD_SIGNATURE);
    chain.accept(chain.tx(Fixtures.ADMIN, "admin", nonce++, new TxBody.ConsortiumEnrolled(operator, List.of(byAdmin, byAdmin2))));
    assertThat(chain.state.identity("ops-new")).get().extracting(TxBody.Identity::role).isEqualTo("operator");
  }

  @Test
  void aPseudonymCannotBeTakenOverByAnotherOrganisationOrRole() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(ADMIN_2, "admin-2", nonce++,
        new TxBody.PatientEnrolled("clinician", new byte[] {1}, Sha3Hash.ZERO)))).isEqualTo(Rejection.Code.OTHER_ORGANISATION);
    assertThat(chain.refusal(chain.tx(ADMIN_2, "admin-2", nonce++,
        new TxBody.RecordAnchored("r-2", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "store", new byte[0]))))
        .isEqualTo(Rejection.Code.OTHER_ORGANISATION);
    chain.accept(chain.tx(ADMIN_2, "admin-2", nonce++, new TxBody.PatientEnrolled("p-h2", new byte[] {1}, Sha3Hash.ZERO)));
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.IdentityEnrolled(identity("p-h2", "patient", "hospital-1"))))).isEqualTo(Rejection.Code.OTHER_ORGANISATION);
  }

  // ---- the rule gaps -----------------------------------------------------------------------------

  @Test
  void aReadWithoutAGrantIsRefusedAndAGrantOpensItUntilItEndsOrIsRevoked() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++,
        new TxBody.RecordAccessed("r-1", "cardiologist", "care")))).isEqualTo(Rejection.Code.NO_ACCESS);
    assertThat(chain.refusal(chain.tx(Fixtures.RESEARCHER, "researcher", nonce++,
        new TxBody.RecordAccessed("r-1", "researcher", "study")))).isEqualTo(Rejection.Code.NO_ACCESS);
    chain.accept(
        chain.tx(Fixtures.CLINICIAN, "clinician", nonce++, new TxBody.RecordAccessed("r-1", "clinician", "care")),
        chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.RecordAccessed("r-1", Fixtures.PATIENT_ID, "own")));
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + 5_000, new byte[0])));
    chain.accept(chain.tx(CARDIOLOGIST, "cardiologist", nonce++, new TxBody.RecordAccessed("r-1", "cardiologist", "care")));
    chain.time += 10_000;
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++,
        new TxBody.RecordAccessed("r-1", "cardiologist", "care")))).isEqualTo(Rejection.Code.ACCESS_EXPIRED);
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + DAY, new byte[0])));
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++, new TxBody.AccessRevoked("r-1", "cardiologist")));
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++,
        new TxBody.RecordAccessed("r-1", "cardiologist", "care")))).isEqualTo(Rejection.Code.ACCESS_REVOKED);
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessRevoked("r-1", "cardiologist")))).isEqualTo(Rejection.Code.GRANT_NOT_FOUND);
  }

  @Test
  void aGrantToNobodyARevokeOfNothingAndAGrantThatEndedOrNeverEndsAreRefused() {
    Chain chain = withRecord();
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "nobody", "care", chain.time + DAY, new byte[0])))).isEqualTo(Rejection.Code.UNKNOWN_GRANTEE);
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessRevoked("r-1", "clinician")))).isEqualTo(Rejection.Code.GRANT_NOT_FOUND);
    assertThat(chain.refusal(chain.tx(Fixtures.ADMIN, "admin", nonce++,
        new TxBody.AccessExpired("r-1", "clinician")))).isEqualTo(Rejection.Code.GRANT_NOT_FOUND);
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "clinician", "care", chain.time - 1, new byte[0])))).isEqualTo(Rejection.Code.BAD_PERIOD);
    assertThat(chain.refusal(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "clinician", "care", Long.MAX_VALUE, new byte[0])))).isEqualTo(Rejection.Code.BAD_PERIOD);
    assertThat(chain.refusal(chain.tx(CARDIOLOGIST, "cardiologist", nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + DAY, new byte[0])))).isEqualTo(Rejection.Code.OTHER_ORGANISATION);
  }

  @Test
  void timestampsOutsideTheWindowAroundTheBlocksTimeAreRefused() {
    Chain chain = withRecord();
    for (long timestamp : new long[] {-1, 0, Long.MIN_VALUE, Long.MAX_VALUE,
        chain.time + 1000 + TransactionRules.MAX_AHEAD_MILLIS + 1, chain.time + 1000 - TransactionRules.MAX_AGE_MILLIS - 1}) {
      Transaction tx = Transaction.sign(Fixtures.ADMIN, "admin", nonce++, timestamp,
          new TxBody.RecordAnchored("r-t" + nonce, Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "store", new byte[0]));
      assertThat(chain.refusal(tx)).as("timestamp %d", timestamp).isEqualTo(Rejection.Code.BAD_TIMESTAMP);
      chain.time -= 1000;
    }
    chain.accept(Transaction.sign(Fixtures.ADMIN, "admin", nonce++, chain.time + 1000 - TransactionRules.MAX_AGE_MILLIS,
        new TxBody.RecordAnchored("r-old", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "store", new byte[0])));
  }

  // ---- the access policy the contracts answer from ----------------------------------------------------

  @Test
  void aPatientsViewsAreForThePatientItsPrivacyOfficerAndItsActiveGranteesOnly() {
    Chain chain = withRecord();
    LedgerView view = chain.state;
    long now = chain.time;
    assertThat(AccessPolicy.mayViewPatient(view, identity(Fixtures.PATIENT_ID, "patient", "hospital-1"), Fixtures.PATIENT_ID, now)).isEmpty();
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("privacy").orElseThrow(), Fixtures.PATIENT_ID, now)).isEmpty();
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("cardiologist").orElseThrow(), Fixtures.PATIENT_ID, now))
        .get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("admin").orElseThrow(), Fixtures.PATIENT_ID, now))
        .get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("privacy").orElseThrow(), "p-unknown", now))
        .get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + 5_000, new byte[0])));
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("cardiologist").orElseThrow(), Fixtures.PATIENT_ID, chain.time)).isEmpty();
    assertThat(AccessPolicy.mayViewPatient(view, view.identity("cardiologist").orElseThrow(), Fixtures.PATIENT_ID, chain.time + 5_000))
        .isPresent();
  }

  @Test
  void aPatientsNotificationsAreReadByThePatientAndItsPrivacyOfficerAndMarkedSeenByThePatientOnly() {
    Chain chain = withRecord();
    LedgerView view = chain.state;
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + DAY, new byte[0])));
    TxBody.Identity patient = identity(Fixtures.PATIENT_ID, "patient", "hospital-1");
    TxBody.Identity privacy = view.identity("privacy").orElseThrow();
    assertThat(AccessPolicy.mayFollowPatient(view, patient, Fixtures.PATIENT_ID, false)).isEmpty();
    assertThat(AccessPolicy.mayFollowPatient(view, patient, Fixtures.PATIENT_ID, true)).isEmpty();
    assertThat(AccessPolicy.mayFollowPatient(view, privacy, Fixtures.PATIENT_ID, false)).isEmpty();
    assertThat(AccessPolicy.mayFollowPatient(view, privacy, Fixtures.PATIENT_ID, true))
        .get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
    // A grantee sees the patient's transactions, not what the patient is told.
    for (String other : List.of("cardiologist", "admin")) {
      assertThat(AccessPolicy.mayFollowPatient(view, view.identity(other).orElseThrow(), Fixtures.PATIENT_ID, false))
          .as(other).get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
    }
    assertThat(AccessPolicy.mayFollowPatient(view, identity("p-unknown", "patient", "hospital-1"), "p-unknown", false))
        .get().extracting(Rejection::code).isEqualTo(Rejection.Code.NO_ACCESS);
  }

  @Test
  void aSnapshotKeepsGrantsAndOrganisations() {
    Chain chain = withRecord();
    chain.accept(chain.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, nonce++,
        new TxBody.AccessGranted("r-1", "cardiologist", "care", chain.time + DAY, new byte[0])));
    LedgerState restored = LedgerState.fromSnapshot(chain.state.toSnapshot(), chain.state.index());
    assertThat(restored.grant("r-1", "cardiologist")).isEqualTo(chain.state.grant("r-1", "cardiologist")).isPresent();
    assertThat(restored.record("r-1")).isEqualTo(chain.state.record("r-1"));
    assertThat(restored.patientOrganisation(Fixtures.PATIENT_ID)).contains("hospital-1");
    assertThat(restored.recordsOf(Fixtures.PATIENT_ID)).containsExactly("r-1");
  }
}
