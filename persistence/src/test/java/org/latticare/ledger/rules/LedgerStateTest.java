package org.latticare.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.InMemoryChainIndex;
import org.latticare.ledger.tx.TxBody;

class LedgerStateTest {

  private static final ForkJoinPool POOL = ForkJoinPool.commonPool();

  private static String refusal(LedgerState state, Transaction... txs) {
    Block block = Block.produce(state.head(), List.of(txs), "node-2", Fixtures.nodeKey("node-2"), Fixtures.TIME + 100);
    return state.rejectBlock(block, POOL).orElse("accepted");
  }

  private static LedgerState withPatientAndRecord() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    Block block = Block.produce(state.head(), List.of(
        Fixtures.tx(Fixtures.ADMIN, "admin", 1, new TxBody.PatientEnrolled(Fixtures.PATIENT_ID, new byte[] {1}, Sha3Hash.ZERO)),
        Fixtures.tx(Fixtures.ADMIN, "admin", 2, new TxBody.RecordAnchored("r-1", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1,
            "chain", new byte[0]))), "node-1", Fixtures.nodeKey("node-1"), Fixtures.TIME + 10);
    assertThat(state.rejectBlock(block, POOL)).isEmpty();
    state.append(block);
    return state;
  }

  @Test
  void unknownSubmittersWrongRolesAndReplaysAreRefused() {
    LedgerState state = withPatientAndRecord();
    assertThat(refusal(state, Fixtures.tx(Fixtures.OUTSIDER, "outsider", 1, new TxBody.RecordErased("r-1"))))
        .contains("not an enrolled identity");
    assertThat(refusal(state, Fixtures.tx(Fixtures.RESEARCHER, "researcher", 1, new TxBody.RecordErased("r-1"))))
        .contains("a researcher may not submit RECORD_ERASED");
    assertThat(refusal(state, Fixtures.tx(Fixtures.ADMIN, "admin", 2, new TxBody.RecordErased("r-1"))))
        .contains("replay");
    Transaction signedByAnother = Fixtures.tx(Fixtures.OUTSIDER, "admin", 3, new TxBody.RecordErased("r-1"));
    assertThat(refusal(state, signedByAnother)).contains("signature does not verify");
    assertThat(state.rejectTransaction(signedByAnother, Fixtures.TIME + 100)).get().extracting(Rejection::code).isEqualTo(Rejection.Code.BAD_SIGNATURE);
  }

  @Test
  void referencesAreCheckedIncludingAgainstEarlierTransactionsOfTheSameBlock() {
    LedgerState state = withPatientAndRecord();
    assertThat(refusal(state, Fixtures.tx(Fixtures.CLINICIAN, "clinician", 1,
        new TxBody.RecordAccessed("r-404", "clinician", "care")))).contains("no record 'r-404'");
    assertThat(refusal(state, Fixtures.tx(Fixtures.CLINICIAN, "clinician", 1,
        new TxBody.RecordAccessed("r-1", "someone-else", "care")))).contains("logged by its reader");
    assertThat(refusal(state,
        Fixtures.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, 1, new TxBody.RecordErased("r-1")),
        Fixtures.tx(Fixtures.CLINICIAN, "clinician", 1, new TxBody.RecordAccessed("r-1", "clinician", "care"))))
        .contains("record 'r-1' was erased");
    assertThat(refusal(state,
        Fixtures.tx(Fixtures.RESEARCHER, "researcher", 1, new TxBody.StudyCreated("s-1", "t", 10, new byte[0])),
        Fixtures.tx(Fixtures.ADMIN, "admin", 3, new TxBody.StatisticSubmitted("s-1", "m", 12, new byte[0]))))
        .isEqualTo("accepted");
    assertThat(refusal(state, Fixtures.tx(Fixtures.ADMIN, "admin", 3,
        new TxBody.StatisticSubmitted("s-9", "m", 12, new byte[0])))).contains("no study");
  }

  @Test
  void aPatientControlsOnlyItsOwnRecords() {
    LedgerState state = withPatientAndRecord();
    Block block = Block.produce(state.head(), List.of(
        Fixtures.tx(Fixtures.ADMIN, "admin", 3, new TxBody.PatientEnrolled("p-other", new byte[] {2}, Sha3Hash.ZERO)),
        Fixtures.tx(Fixtures.ADMIN, "admin", 4, new TxBody.RecordAnchored("r-2", "p-other", Sha3Hash.ZERO, 1, "chain",
            new byte[0]))), "node-1", Fixtures.nodeKey("node-1"), Fixtures.TIME + 20);
    state.append(block);
    assertThat(refusal(state, Fixtures.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, 1,
        new TxBody.AccessGranted("r-2", "clinician", "care", Fixtures.TIME + 86_400_000L, new byte[0])))).contains("does not own record 'r-2'");
    assertThat(refusal(state, Fixtures.tx(Fixtures.PATIENT, Fixtures.PATIENT_ID, 1,
        new TxBody.AccessGranted("r-1", "clinician", "care", Fixtures.TIME + 86_400_000L, new byte[0])))).isEqualTo("accepted");
  }

  @Test
  void aSnapshotRestoresTheSameAnswers() {
    LedgerState state = withPatientAndRecord();
    LedgerState restored = LedgerState.fromSnapshot(state.toSnapshot(), state.index());
    assertThat(restored.head()).isEqualTo(state.head());
    assertThat(restored.patientTransactions(Fixtures.PATIENT_ID)).isEqualTo(state.patientTransactions(Fixtures.PATIENT_ID));
    Transaction replay = Fixtures.tx(Fixtures.ADMIN, "admin", 2, new TxBody.RecordErased("r-1"));
    assertThat(refusal(restored, replay)).contains("replay");
    Transaction fresh = Fixtures.tx(Fixtures.ADMIN, "admin", 5, new TxBody.RecordErased("r-1"));
    assertThat(refusal(restored, fresh)).isEqualTo(refusal(state, fresh)).isEqualTo("accepted");
    assertThat(restored.location(state.head().transactions().get(1).hash())).contains(new ChainIndex.TxLocation(1, 1));
  }

  @Test
  void anIndexAheadOfTheStateAsAfterACrashNeitherRefusesTheReplayedBlockNorLocatesItsTransactions() {
    LedgerState state = withPatientAndRecord();
    LedgerState.Snapshot beforeTheCrash = state.toSnapshot();
    Block next = Block.produce(state.head(), List.of(
        Fixtures.tx(Fixtures.ADMIN, "admin", 3, new TxBody.RecordErased("r-1"))), "node-1", Fixtures.nodeKey("node-1"),
        Fixtures.TIME + 20);
    state.append(next);
    assertThat(state.index().height()).isEqualTo(2);

    LedgerState recovered = LedgerState.fromSnapshot(beforeTheCrash, state.index());
    Transaction erased = next.transactions().get(0);
    assertThat(recovered.nonceUsed("admin", 3)).as("used at height 2, above the state's 1").isFalse();
    assertThat(recovered.location(erased.hash())).isEmpty();
    assertThat(recovered.nonceUsed("admin", 2)).isTrue();
    assertThat(recovered.rejectBlock(next, POOL)).as("the block replayed is valid again").isEmpty();
    recovered.append(next);
    assertThat(recovered.location(erased.hash())).contains(new ChainIndex.TxLocation(2, 0));
    assertThat(refusal(recovered, Fixtures.tx(Fixtures.ADMIN, "admin", 3, new TxBody.RecordErased("r-1"))))
        .contains("replay");
  }

  @Test
  void aSnapshotIsRefusedOverAnIndexThatHasNotReachedIt() {
    LedgerState state = withPatientAndRecord();
    assertThatThrownBy(() -> LedgerState.fromSnapshot(state.toSnapshot(), new InMemoryChainIndex()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("below the snapshot's 1");
  }
}
