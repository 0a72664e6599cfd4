package org.latticare.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.rules.LedgerState;
import org.latticare.ledger.tx.TxBody;

class BlockTest {

  private static final ForkJoinPool POOL = ForkJoinPool.commonPool();

  private static Block nextBlock(Block previous, String producer, List<Transaction> txs) {
    return Block.produce(previous, txs, producer, Fixtures.nodeKey(producer), 1_700_000_000_000L + previous.height());
  }

  private static List<Transaction> enrolAndAnchor() {
    return List.of(
        Fixtures.tx(Fixtures.ADMIN, "admin", 1, new TxBody.PatientEnrolled("p-1", new byte[] {1}, Sha3Hash.ZERO)),
        Fixtures.tx(Fixtures.ADMIN, "admin", 2, new TxBody.RecordAnchored("r-1", "p-1", Sha3Hash.ZERO, 10, "store",
            new byte[0])));
  }

  @Test
  void genesisDependsOnlyOnTheFounding() {
    assertThat(Fixtures.genesis().hash()).isEqualTo(Fixtures.genesis().hash());
    TxBody.ConsortiumFounded other = new TxBody.ConsortiumFounded("other", Fixtures.founding().members(),
        Fixtures.founding().identities());
    assertThat(Block.genesis(other).hash()).isNotEqualTo(Fixtures.genesis().hash());
  }

  @Test
  void theHeaderReadAloneFromAnEncodedBlockIsItsHeaderAndGivesItsHash() {
    Block block = nextBlock(Fixtures.genesis(), "node-1", enrolAndAnchor());
    BlockHeader header = Block.headerOf(block.encode());
    assertThat(header).isEqualTo(block.header());
    assertThat(header.hash()).isEqualTo(block.hash());
    assertThat(header.previousHash()).isEqualTo(Fixtures.genesis().hash());
  }

  @Test
  void aValidBlockFromAListedProducerIsAccepted() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    Block block = nextBlock(state.head(), "node-1", enrolAndAnchor());
    assertThat(state.rejectBlock(block, POOL)).isEmpty();
    state.append(block);
    assertThat(state.height()).isEqualTo(1);
    assertThat(state.patientTransactions("p-1")).hasSize(2);
  }

  @Test
  void aBlockSignedFromEncodingsAndLeavesIsTheBlockProduceBuilds() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    List<Transaction> txs = enrolAndAnchor();
    List<byte[]> encodings = txs.stream().map(Transaction::encode).toList();
    long time = 1_700_000_000_000L;
    Block.Signed signed = Block.sign(state.head().header(), encodings, Block.leaves(txs), "node-1",
        Fixtures.nodeKey("node-1"), time);

    Block decoded = Block.decode(signed.encoding());
    assertThat(decoded.header()).isEqualTo(Block.produce(state.head(), txs, "node-1", Fixtures.nodeKey("node-1"), time)
        .header());
    assertThat(decoded.hash()).isEqualTo(signed.hash());
    assertThat(decoded.transactions()).isEqualTo(txs);
    assertThat(state.rejectBlock(decoded, POOL)).isEmpty();
  }

  @Test
  void aBlockSignedOverAWrongLeafIsRefused() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    List<Transaction> txs = enrolAndAnchor();
    List<Sha3Hash> leaves = List.of(txs.get(0).hash(), txs.get(0).hash());
    Block.Signed signed = Block.sign(state.head().header(), txs.stream().map(Transaction::encode).toList(), leaves,
        "node-1", Fixtures.nodeKey("node-1"), 1_700_000_000_000L);

    assertThat(state.rejectBlock(Block.decode(signed.encoding()), POOL)).hasValueSatisfying(reason ->
        assertThat(reason).contains("Merkle root"));
    assertThat(state.height()).isZero();
  }

  @Test
  void anyFlippedByteOfABlockFailsDecodingOrValidation() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    byte[] encoding = nextBlock(state.head(), "node-1", enrolAndAnchor()).encode();
    int checked = 0;
    for (int i = 0; i < encoding.length; i += 3) {
      byte[] flipped = encoding.clone();
      flipped[i] ^= 0x01;
      Optional<String> verdict;
      try {
        verdict = state.rejectBlock(Block.decode(flipped), POOL);
      } catch (MalformedEncodingException e) {
        verdict = Optional.of(e.getMessage());
      }
      assertThat(verdict).as("byte %d of %d flipped", i, encoding.length).isPresent();
      checked++;
    }
    assertThat(checked).isGreaterThan(1000);
  }

  @Test
  void aBlockSignedByANonMemberOrANonProducerIsRefused() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    Block forged = Block.produce(state.head(), enrolAndAnchor(), "node-1", Fixtures.OUTSIDER, 1);
    assertThat(state.rejectBlock(forged, POOL)).get().asString().contains("signature");
    Block stranger = Block.produce(state.head(), enrolAndAnchor(), "node-9", Fixtures.OUTSIDER, 1);
    assertThat(state.rejectBlock(stranger, POOL)).get().asString().contains("not a consortium producer");
    Block verifierOnly = nextBlock(state.head(), "node-3", enrolAndAnchor());
    assertThat(state.rejectBlock(verifierOnly, POOL)).get().asString().contains("not a consortium producer");
  }

  @Test
  void blocksMustLinkAndFollowTheHead() {
    LedgerState state = LedgerState.fromGenesis(Fixtures.genesis());
    Block one = nextBlock(state.head(), "node-1", enrolAndAnchor());
    Block two = nextBlock(one, "node-1", List.of());
    assertThat(state.rejectBlock(two, POOL)).get().asString().contains("expected height 1");
    Block foreignParent = Block.genesis(new TxBody.ConsortiumFounded("elsewhere", Fixtures.founding().members(),
        Fixtures.founding().identities()));
    assertThat(state.rejectBlock(nextBlock(foreignParent, "node-1", List.of()), POOL)).get().asString()
        .contains("does not link");
  }
}
