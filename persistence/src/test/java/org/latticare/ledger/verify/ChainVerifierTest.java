package org.latticare.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;

class ChainVerifierTest {

  private static final List<byte[]> CHAIN = new ArrayList<>();

  /** Genesis and five blocks of one enrolment and anchors, signed by node-1 (a producer of the fixture). */
  @BeforeAll
  static void buildChain() {
    Block previous = Fixtures.genesis();
    CHAIN.add(previous.encode());
    for (int i = 1; i <= 5; i++) {
      TxBody body = i == 1 ? new TxBody.PatientEnrolled("p-v", new byte[] {1}, Sha3Hash.ZERO)
          : new TxBody.RecordAnchored("r-" + i, "p-v", Sha3Hash.ZERO, i, "store", new byte[0]);
      Block block = Block.produce(previous, List.of(Fixtures.tx(Fixtures.ADMIN, "admin", i, body)), "node-1",
          Fixtures.nodeKey("node-1"), Fixtures.TIME + 100 * i);
      CHAIN.add(block.encode());
      previous = block;
    }
  }

  private static ChainVerifier.Result verify(List<byte[]> chain, Block genesis) {
    List<Long> seen = new ArrayList<>();
    ChainVerifier.Result result = ChainVerifier.verify(genesis, chain.size() - 1, h -> chain.get((int) h),
        ForkJoinPool.commonPool(), seen::add);
    assertThat(seen).as("progress, in order").isSorted();
    return result;
  }

  @Test
  void anHonestChainVerifiesToItsHead() {
    ChainVerifier.Result result = verify(CHAIN, Fixtures.genesis());
    assertThat(result.ok()).as(result.reason()).isTrue();
    assertThat(result.verified()).isEqualTo(6);
    assertThat(result.headHash()).isEqualTo(Block.decode(CHAIN.get(5)).hash().hex());
  }

  @Test
  void anotherConsortiumsGenesisIsRefusedAtBlockZero() {
    TxBody.ConsortiumFounded other = new TxBody.ConsortiumFounded("other", Fixtures.founding().members(),
        Fixtures.founding().identities());
    ChainVerifier.Result result = verify(CHAIN, Block.genesis(other));
    assertThat(result.failedAt()).isZero();
    assertThat(result.reason()).contains("genesis");
  }

  @Test
  void theFirstTamperedBlockIsNamedAndNothingAfterItCounts() {
    // block 3 re-signed by a key that is not node-1's
    Block honest = Block.decode(CHAIN.get(3));
    Block forged = new Block(honest.header(), Fixtures.key("mallory").sign(Block.signingBytes(honest.header())),
        honest.transactions());
    List<byte[]> chain = new ArrayList<>(CHAIN);
    chain.set(3, forged.encode());
    ChainVerifier.Result result = verify(chain, Fixtures.genesis());
    assertThat(result.failedAt()).isEqualTo(3);
    assertThat(result.reason()).contains("signature");
    assertThat(result.headHash()).isEqualTo(Block.decode(CHAIN.get(2)).hash().hex());

    // block 4 carrying a transaction signed by someone else than its submitter, in a correctly signed block
    Block four = Block.decode(CHAIN.get(4));
    Transaction stolen = Transaction.sign(Fixtures.OUTSIDER, "admin", 4, four.transactions().get(0).timestampMillis(),
        four.transactions().get(0).body());
    Block reSigned = Block.produce(Block.decode(CHAIN.get(3)), List.of(stolen), "node-1", Fixtures.nodeKey("node-1"),
        four.header().timestampMillis());
    chain = new ArrayList<>(CHAIN);
    chain.set(4, reSigned.encode());
    result = verify(chain, Fixtures.genesis());
    assertThat(result.failedAt()).isEqualTo(4);

    // garbage and a block out of place
    chain = new ArrayList<>(CHAIN);
    chain.set(2, new byte[] {1, 2, 3});
    assertThat(verify(chain, Fixtures.genesis()).failedAt()).isEqualTo(2);
    chain = new ArrayList<>(CHAIN);
    chain.set(2, CHAIN.get(3));
    assertThat(verify(chain, Fixtures.genesis()).reason()).contains("got block 3");
    assertThat(BlockHeader.CURRENT_VERSION).isEqualTo(Block.decode(CHAIN.get(1)).header().version());
  }
}
