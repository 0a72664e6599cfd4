package org.latticare.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;

/** A node's replica skips the signatures its mempool verified, and only those: the same bytes under the same key. */
class VerifiedSignaturesTest {

  private static final TxBody ENROL = new TxBody.PatientEnrolled("p-once", new byte[] {1}, Sha3Hash.ZERO);

  private static Block blockOf(Transaction tx) {
    return Block.produce(Fixtures.genesis(), List.of(tx), "node-1", Fixtures.nodeKey("node-1"), Fixtures.TIME + 100);
  }

  @Test
  void aTransactionTheMempoolVerifiedIsNotVerifiedAgainByTheSameNodesReplica() {
    Transaction tx = Fixtures.tx(Fixtures.ADMIN, "admin", 1, ENROL);
    VerifiedSignatures verified = new VerifiedSignatures(10);
    verified.record(tx.hash(), Fixtures.ADMIN.publicKey());
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());

    long before = MlDsa65.verifications();
    assertThat(state.rejectBlock(blockOf(tx), ForkJoinPool.commonPool(), verified)).isEmpty();
    assertThat(MlDsa65.verifications() - before).as("the block's signature only").isEqualTo(1);
    assertThat(verified.size()).as("used once").isZero();

    // another replica, or the same one without the record: verifies it
    before = MlDsa65.verifications();
    assertThat(state.rejectBlock(blockOf(tx), ForkJoinPool.commonPool())).isEmpty();
    assertThat(MlDsa65.verifications() - before).isEqualTo(2);
  }

  @Test
  void bytesThatDifferFromWhatTheMempoolVerifiedAreVerifiedAndRefused() {
    Transaction honest = Fixtures.tx(Fixtures.ADMIN, "admin", 1, ENROL);
    // the same body and nonce for the same submitter, signed by someone else: other bytes, another hash
    Transaction forged = Fixtures.tx(Fixtures.OUTSIDER, "admin", 1, ENROL);
    VerifiedSignatures verified = new VerifiedSignatures(10);
    verified.record(honest.hash(), Fixtures.ADMIN.publicKey());
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    assertThat(state.rejectBlock(blockOf(forged), ForkJoinPool.commonPool(), verified))
        .hasValueSatisfying(reason -> assertThat(reason).contains("signature does not verify"));

    // recorded, but under another key than the submitter's on chain: verified, and refused
    verified.record(forged.hash(), Fixtures.OUTSIDER.publicKey());
    assertThat(state.rejectBlock(blockOf(forged), ForkJoinPool.commonPool(), verified))
        .hasValueSatisfying(reason -> assertThat(reason).contains("signature does not verify"));
  }

  @Test
  void theRecordIsBoundedAndNoneRecordsNothing() {
    VerifiedSignatures verified = new VerifiedSignatures(2);
    for (int i = 0; i < 5; i++) {
      verified.record(Sha3Hash.of(new byte[] {(byte) i}), Fixtures.ADMIN.publicKey());
    }
    assertThat(verified.size()).isEqualTo(2);
    assertThat(verified.take(Sha3Hash.of(new byte[] {0}), Fixtures.ADMIN.publicKey())).as("the oldest went").isFalse();
    assertThat(verified.take(Sha3Hash.of(new byte[] {4}), Fixtures.ADMIN.publicKey())).isTrue();
    VerifiedSignatures.NONE.record(Sha3Hash.ZERO, Fixtures.ADMIN.publicKey());
    assertThat(VerifiedSignatures.NONE.take(Sha3Hash.ZERO, Fixtures.ADMIN.publicKey())).isFalse();
  }
}
