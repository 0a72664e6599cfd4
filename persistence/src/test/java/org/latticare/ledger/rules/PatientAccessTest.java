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
import org.latticare.ledger.tx.TxType;

/**
 * A patient's access slice decides as the whole ledger does: every caller, every record of the patient
 * and every moment around the grants' ends get the same answer from {@link AccessPolicy} over the
 * slice as over the {@link LedgerState}, on a chain with three patients in two hospitals, grants,
 * a revocation, an expiry by transaction, one by time only, and an erased record.
 */
class PatientAccessTest {

  private static final ForkJoinPool POOL = ForkJoinPool.commonPool();
  private static final MlDsa65.KeyPair ADMIN_2 = Fixtures.key("admin-2");
  private static final MlDsa65.KeyPair CARDIOLOGIST = Fixtures.key("cardiologist");
  private static final MlDsa65.KeyPair PRIVACY = Fixtures.key("privacy");
  private static final List<String> PATIENTS = List.of(Fixtures.PATIENT_ID, "p-2", "p-3");

  private final LedgerState state = LedgerState.fromGenesis(genesis());
  private long time = Fixtures.TIME;
  private long nonce = 1;
  /** What each appended block changed for each patient it touched, in chain order, as a replica publishes it. */
  private final List<Published> published = new ArrayList<>();

  private record Published(Block block, PatientChange change) {}

  private static Block genesis() {
    TxBody.ConsortiumFounded base = Fixtures.founding();
    List<TxBody.Identity> identities = new ArrayList<>(base.identities());
    identities.add(new TxBody.Identity("admin-2", "hospital-admin", "hospital-2", ADMIN_2.publicKey()));
    identities.add(new TxBody.Identity("cardiologist", "clinician", "hospital-2", CARDIOLOGIST.publicKey()));
    identities.add(new TxBody.Identity("privacy", "privacy-officer", "hospital-1", PRIVACY.publicKey()));
    return Block.genesis(new TxBody.ConsortiumFounded(base.consortium(), base.members(), identities));
  }

  private Block accept(Transaction... txs) {
    time += 1000;
    Block block = Block.produce(state.head(), List.of(txs), "node-1", Fixtures.nodeKey("node-1"), time);
    assertThat(state.rejectBlock(block, POOL)).as("block refused").isEmpty();
    state.append(block);
    state.patientChanges(block).forEach(change -> published.add(new Published(block, change)));
    return block;
  }

  private Transaction admin(TxBody body) {
    return Transaction.sign(Fixtures.ADMIN, "admin", nonce++, time + 1000, body);
  }

  private Transaction admin2(TxBody body) {
    return Transaction.sign(ADMIN_2, "admin-2", nonce++, time + 1000, body);
  }

  private static TxBody.RecordAnchored anchor(String recordId, String pseudonym) {
    return new TxBody.RecordAnchored(recordId, pseudonym, Sha3Hash.ZERO, 1, "store", new byte[0]);
  }

  private TxBody.AccessGranted grant(String recordId, String grantee, long forMillis) {
    return new TxBody.AccessGranted(recordId, grantee, "care", time + 1000 + forMillis, new byte[0]);
  }

  /** The chain of the test: what each step leaves is named in the comments of {@link #sliceDecidesAsTheWholeLedger}. */
  private void buildChain() {
    accept(admin(new TxBody.PatientEnrolled(Fixtures.PATIENT_ID, new byte[] {1}, Sha3Hash.ZERO)),
        admin(new TxBody.PatientEnrolled("p-2", new byte[] {2}, Sha3Hash.ZERO)),
        admin2(new TxBody.PatientEnrolled("p-3", new byte[] {3}, Sha3Hash.ZERO)));
    accept(admin(anchor("r-1", Fixtures.PATIENT_ID)), admin(anchor("r-2", Fixtures.PATIENT_ID)),
        admin(anchor("r-3", "p-2")), admin2(anchor("r-4", "p-3")));
    accept(admin(grant("r-1", "cardiologist", 60_000)), admin(grant("r-1", "researcher", 5_000)),
        admin(grant("r-2", "cardiologist", 60_000)), admin(grant("r-3", "researcher", 60_000)),
        admin2(grant("r-4", "clinician", 60_000)), admin2(grant("r-4", "researcher", 60_000)));
    accept(admin(new TxBody.AccessRevoked("r-3", "researcher")), admin(new TxBody.RecordErased("r-2")),
        admin2(new TxBody.AccessRevoked("r-4", "clinician")));
    time += 10_000;
    accept(admin(new TxBody.AccessExpired("r-1", "researcher")));
    accept(admin(grant("r-3", "cardiologist", 3_000)));
  }

  private static List<TxBody.Identity> callers() {
    List<TxBody.Identity> callers = new ArrayList<>(
        ((TxBody.ConsortiumFounded) genesis().transactions().get(0).body()).identities());
    for (String p : List.of(Fixtures.PATIENT_ID, "p-2", "p-3", "p-unknown")) {
      callers.add(new TxBody.Identity(p, "patient", "hospital-1", Fixtures.key(p).publicKey()));
    }
    callers.add(new TxBody.Identity("privacy-2", "privacy-officer", "hospital-2", Fixtures.key("privacy-2").publicKey()));
    return callers;
  }

  @Test
  void sliceDecidesAsTheWholeLedger() {
    buildChain();
    List<Long> moments = List.of(Fixtures.TIME, time - 20_000, time - 1, time, time + 2_999, time + 3_000,
        time + 3_001, time + 70_000, time + 1_000_000);
    List<String> recordIds = List.of("r-1", "r-2", "r-3", "r-4", "r-404");
    int decisions = 0;
    for (String pseudonym : List.of(Fixtures.PATIENT_ID, "p-2", "p-3", "p-unknown")) {
      LedgerView slice = state.patientAccess(pseudonym).view();
      for (TxBody.Identity caller : callers()) {
        for (long t : moments) {
          assertThat(AccessPolicy.mayViewPatient(slice, caller, pseudonym, t))
              .as("%s views %s at %d", caller.identityId(), pseudonym, t)
              .isEqualTo(AccessPolicy.mayViewPatient(state, caller, pseudonym, t));
          for (String recordId : recordIds) {
            boolean own = state.record(recordId).map(r -> r.pseudonym().equals(pseudonym)).orElse(true);
            if (own) {
              assertThat(AccessPolicy.mayRead(slice, caller, recordId, t, "TREAT"))
                  .as("%s reads %s at %d", caller.identityId(), recordId, t)
                  .isEqualTo(AccessPolicy.mayRead(state, caller, recordId, t, "TREAT"));
              decisions++;
            } else {
              assertThat(AccessPolicy.mayRead(slice, caller, recordId, t, "TREAT")).get().extracting(Rejection::code)
                  .as("another patient's record is unknown to the slice").isEqualTo(Rejection.Code.NOT_FOUND);
            }
          }
        }
      }
    }
    assertThat(decisions).isGreaterThan(500);
  }

  @Test
  void theChainCoversEveryOutcomeTheEquivalenceMustHold() {
    buildChain();
    LedgerView slice = state.patientAccess(Fixtures.PATIENT_ID).view();
    TxBody.Identity cardiologist = identity("cardiologist", "clinician", "hospital-2");
    TxBody.Identity researcher = identity("researcher", "researcher", "university-1");
    assertThat(AccessPolicy.mayRead(slice, cardiologist, "r-1", time, "TREAT")).isEmpty();
    assertThat(code(AccessPolicy.mayRead(slice, cardiologist, "r-1", time + 1_000_000, "TREAT"))).isEqualTo(Rejection.Code.ACCESS_EXPIRED);
    assertThat(code(AccessPolicy.mayRead(slice, researcher, "r-1", time, "TREAT"))).isEqualTo(Rejection.Code.ACCESS_REVOKED);
    assertThat(code(AccessPolicy.mayRead(slice, cardiologist, "r-2", time, "TREAT"))).isEqualTo(Rejection.Code.RECORD_ERASED);
    LedgerView p2 = state.patientAccess("p-2").view();
    assertThat(code(AccessPolicy.mayRead(p2, researcher, "r-3", time, "TREAT"))).isEqualTo(Rejection.Code.ACCESS_REVOKED);
    assertThat(AccessPolicy.mayViewPatient(p2, cardiologist, "p-2", time + 2_999)).isEmpty();
    assertThat(code(AccessPolicy.mayViewPatient(p2, cardiologist, "p-2", time + 3_000))).isEqualTo(Rejection.Code.NO_ACCESS);
    assertThat(code(AccessPolicy.mayRead(p2, identity("consultant", "clinician", "hospital-2"), "r-3", time, "TREAT")))
        .isEqualTo(Rejection.Code.NO_ACCESS);
  }

  @Test
  void aSliceHoldsOnlyItsPatientAndAnUnknownPseudonymHasNothing() {
    buildChain();
    PatientAccess access = state.patientAccess(Fixtures.PATIENT_ID);
    assertThat(access.organisation()).isEqualTo("hospital-1");
    assertThat(access.records()).extracting(PatientAccess.RecordAccess::recordId).containsExactly("r-1", "r-2");
    assertThat(access.record("r-2")).get().extracting(PatientAccess.RecordAccess::erased).isEqualTo(true);
    assertThat(access.record("r-1").orElseThrow().grants()).extracting(LedgerView.Grant::grantee)
        .containsExactly("cardiologist", "researcher");
    assertThat(state.patientAccess("p-3").organisation()).isEqualTo("hospital-2");
    assertThat(state.patientAccess("p-unknown")).isEqualTo(PatientAccess.unknown("p-unknown"));
    assertThat(PATIENTS).allSatisfy(p -> assertThat(state.patientAccess(p).records()).isNotEmpty());
  }

  @Test
  void aBlockNamesThePatientsItTouchesWithWhatThePatientIsTold() {
    buildChain();
    Block block = accept(
        Transaction.sign(Fixtures.CLINICIAN, "clinician", nonce++, time + 1000,
            new TxBody.RecordAccessed("r-1", "clinician", "treatment")),
        admin(new TxBody.IdentityEnrolled(identity("dr-new", "clinician", "hospital-1"))),
        admin(grant("r-3", "clinician", 60_000)));
    var touched = state.patientsTouchedBy(block);
    assertThat(touched.keySet()).containsExactly(Fixtures.PATIENT_ID, "p-2");
    PatientTransaction read = touched.get(Fixtures.PATIENT_ID).get(0);
    assertThat(read.type()).isEqualTo(TxType.RECORD_ACCESSED);
    assertThat(read.reader()).isEqualTo("clinician");
    assertThat(read.purpose()).isEqualTo("treatment");
    assertThat(read.hash()).isEqualTo(block.transactions().get(0).hash().hex());
    PatientTransaction granted = touched.get("p-2").get(0);
    assertThat(granted.grantee()).isEqualTo("clinician");
    assertThat(granted.index()).isEqualTo(2);
    assertThat(granted.height()).isEqualTo(block.height());
    assertThat(granted.notAfterMillis()).isGreaterThan(block.header().timestampMillis());
    assertThat(state.patientsTouchedBy(accept(admin(new TxBody.IdentityEnrolled(
        identity("dr-other", "clinician", "hospital-1")))))).isEmpty();
  }

  @Test
  void aSliceKeptCurrentByEachBlocksChangeIsTheWholeSliceWhateverOrderTwoFeedsDeliverIn() {
    buildChain();
    for (String pseudonym : List.of(Fixtures.PATIENT_ID, "p-2", "p-3")) {
      List<Published> changes = published.stream().filter(p -> p.change().pseudonym().equals(pseudonym)).toList();
      assertThat(changes).hasSizeGreaterThan(2);
      // Two nodes' feeds, each in chain order, the second one change behind the first.
      List<Published> deliveries = new ArrayList<>();
      for (int i = 0; i <= changes.size(); i++) {
        if (i < changes.size()) {
          deliveries.add(changes.get(i));
        }
        if (i > 0) {
          deliveries.add(changes.get(i - 1));
        }
      }
      PatientSlice slice = PatientSlice.none(pseudonym);
      int applied = 0;
      for (Published delivery : deliveries) {
        PatientSlice.Fit fit = slice.fit(delivery.change());
        assertThat(fit).as("in-order feeds leave no gap").isNotEqualTo(PatientSlice.Fit.GAP);
        if (fit == PatientSlice.Fit.NEXT) {
          slice = slice.next(delivery.block().height(), delivery.block().header().timestampMillis(), delivery.change());
          applied++;
        }
      }
      assertThat(applied).isEqualTo(changes.size());
      assertThat(slice.access()).as(pseudonym).isEqualTo(state.patientAccess(pseudonym));
      assertThat(slice.sequence()).isEqualTo(state.patientSequence(pseudonym))
          .isEqualTo(state.patientTransactions(pseudonym).size());
      Block last = changes.get(changes.size() - 1).block();
      assertThat(slice.height()).isEqualTo(last.height());
      assertThat(slice.timeMillis()).isEqualTo(last.header().timestampMillis());
    }
  }

  @Test
  void aChangeThatOvertakesAnotherIsAGapAndAnOlderReplicasSliceIsIgnored() {
    buildChain();
    List<Published> changes = published.stream().filter(p -> p.change().pseudonym().equals(Fixtures.PATIENT_ID)).toList();
    Published first = changes.get(0);
    Published second = changes.get(1);
    PatientSlice none = PatientSlice.none(Fixtures.PATIENT_ID);
    assertThat(none.fit(second.change())).isEqualTo(PatientSlice.Fit.GAP);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> none.next(2, 0, second.change()))
        .isInstanceOf(IllegalArgumentException.class);
    PatientSlice afterFirst = none.next(first.block().height(), first.block().header().timestampMillis(), first.change());
    assertThat(afterFirst.fit(first.change())).isEqualTo(PatientSlice.Fit.DUPLICATE);
    assertThat(afterFirst.fit(second.change())).isEqualTo(PatientSlice.Fit.NEXT);

    PatientSlice whole = new PatientSlice(state.height(), time, state.patientSequence(Fixtures.PATIENT_ID),
        state.patientAccess(Fixtures.PATIENT_ID));
    assertThat(afterFirst.newer(whole)).isEqualTo(whole);
    assertThat(whole.newer(afterFirst)).as("a lagging replica's answer").isSameAs(whole);
  }

  @Test
  void aChangeCarriesOnlyTheRecordsItsBlockTouched() {
    accept(admin(new TxBody.PatientEnrolled("p-many", new byte[] {4}, Sha3Hash.ZERO)));
    for (int batch = 0; batch < 4; batch++) {
      List<Transaction> anchors = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        anchors.add(admin(anchor("r-many-" + (batch * 50 + i), "p-many")));
      }
      accept(anchors.toArray(Transaction[]::new));
    }
    accept(admin(grant("r-many-7", "cardiologist", 60_000)));
    PatientChange grant = published.get(published.size() - 1).change();
    assertThat(grant.changed().records()).extracting(PatientAccess.RecordAccess::recordId).containsExactly("r-many-7");
    assertThat(grant.sequence()).isEqualTo(202);
    assertThat(state.patientAccess("p-many").records()).hasSize(200);
    PatientAccess merged = state.patientAccess("p-many", List.of("r-many-1", "r-many-2")).merge(grant.changed());
    assertThat(merged.records()).extracting(PatientAccess.RecordAccess::recordId)
        .containsExactly("r-many-1", "r-many-2", "r-many-7");
    assertThat(merged.record("r-many-7").orElseThrow().grants()).singleElement()
        .satisfies(g -> assertThat(g.grantee()).isEqualTo("cardiologist"));
  }

  private static Rejection.Code code(Optional<Rejection> rejection) {
    return rejection.orElseThrow().code();
  }

  private static TxBody.Identity identity(String id, String role, String organisation) {
    return new TxBody.Identity(id, role, organisation, Fixtures.key(id).publicKey());
  }
}
