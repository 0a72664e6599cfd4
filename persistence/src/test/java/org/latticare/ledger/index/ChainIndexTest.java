package org.latticare.ledger.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.ledger.Sha3Hash;

class ChainIndexTest {

  private static final Sha3Hash A = Sha3Hash.of(new byte[] {1});
  private static final Sha3Hash B = Sha3Hash.of(new byte[] {2});
  private static final Sha3Hash C = Sha3Hash.of(new byte[] {3});

  static Stream<ChainIndex> indexes() throws Exception {
    return Stream.of(new InMemoryChainIndex(), LevelDbChainIndex.open(Files.createTempDirectory("chain-index")));
  }

  private static ChainIndex.BlockEntries block(long height, Sha3Hash... txs) {
    List<ChainIndex.UsedNonce> nonces = Stream.of(txs)
        .map(tx -> new ChainIndex.UsedNonce("admin", tx.bytes()[0], tx)).toList();
    return new ChainIndex.BlockEntries(height, nonces, List.of(txs));
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void anEmptyIndexKnowsNothing(ChainIndex index) {
    try (index) {
      assertThat(index.height()).isEqualTo(ChainIndex.EMPTY);
      assertThat(index.nonce("admin", 1)).isEmpty();
      assertThat(index.location(A)).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void aBlockTellsEachNonceItsHeightAndTransactionAndEachTransactionItsPlace(ChainIndex index) {
    try (index) {
      index.add(block(1, A));
      index.add(block(2, B, C));
      assertThat(index.height()).isEqualTo(2);
      assertThat(index.nonce("admin", C.bytes()[0])).contains(new ChainIndex.NonceUse(2, C));
      assertThat(index.nonce("other", C.bytes()[0])).as("nonces are per submitter").isEmpty();
      assertThat(index.location(A)).contains(new ChainIndex.TxLocation(1, 0));
      assertThat(index.location(C)).contains(new ChainIndex.TxLocation(2, 1));
    }
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void writingABlockAgainAsARecoveryReplaysItChangesNothing(ChainIndex index) {
    try (index) {
      index.add(block(1, A));
      index.add(block(2, B, C));
      index.add(block(1, A));
      index.add(block(2, B, C));
      assertThat(index.height()).as("the highest block written, not the last").isEqualTo(2);
      assertThat(index.nonce("admin", A.bytes()[0])).contains(new ChainIndex.NonceUse(1, A));
      assertThat(index.location(C)).contains(new ChainIndex.TxLocation(2, 1));
    }
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void aClearedIndexIsEmpty(ChainIndex index) {
    try (index) {
      index.add(block(1, A, B));
      index.clear();
      assertThat(index.height()).isEqualTo(ChainIndex.EMPTY);
      assertThat(index.nonce("admin", A.bytes()[0])).isEmpty();
      assertThat(index.location(B)).isEmpty();
    }
  }

  @Test
  void aLevelDbIndexKeepsItsEntriesAndHeightAcrossReopening() throws Exception {
    Path dir = Files.createTempDirectory("chain-index");
    try (ChainIndex index = LevelDbChainIndex.open(dir)) {
      index.add(block(1, A));
      index.add(block(2, B));
    }
    try (ChainIndex index = LevelDbChainIndex.open(dir)) {
      assertThat(index.height()).isEqualTo(2);
      assertThat(index.nonce("admin", B.bytes()[0])).contains(new ChainIndex.NonceUse(2, B));
      assertThat(index.location(A)).contains(new ChainIndex.TxLocation(1, 0));
    }
  }

  @ParameterizedTest
  @MethodSource("indexes")
  void truncatingForgetsTheEntriesOfTheDroppedBlocksAndKeepsTheRest(ChainIndex index) {
    try (index) {
      index.add(block(1, A));
      index.add(block(2, B));
      index.add(block(3, C));
      index.truncate(1);
      assertThat(index.height()).isEqualTo(1);
      assertThat(index.location(A)).contains(new ChainIndex.TxLocation(1, 0));
      assertThat(index.nonce("admin", A.bytes()[0])).contains(new ChainIndex.NonceUse(1, A));
      assertThat(index.location(B)).isEmpty();
      assertThat(index.nonce("admin", C.bytes()[0])).isEmpty();
      index.truncate(2);
      assertThat(index.height()).as("never raised").isEqualTo(1);
      index.add(block(2, C));
      assertThat(index.location(C)).as("a dropped transaction committed in another block").contains(
          new ChainIndex.TxLocation(2, 0));
    }
  }
}
