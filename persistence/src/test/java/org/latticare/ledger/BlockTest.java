package org.latticare.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class BlockTest {

  @Test
  void genesisDependsOnlyOnTheConsortium() {
    assertThat(Block.genesis("a").hash()).isEqualTo(Block.genesis("a").hash());
    assertThat(Block.genesis("a").hash()).isNotEqualTo(Block.genesis("b").hash());
  }

  @Test
  void nextBlockLinksToItsPredecessor() {
    Block genesis = Block.genesis("c");
    Block next = Block.next(genesis, List.of("x"), "node-1", 1000);
    assertThat(next.height()).isEqualTo(1);
    assertThat(next.header().previousHash()).isEqualTo(genesis.hash());
    assertThat(genesis.rejectAsSuccessor(next)).isEmpty();
  }

  @Test
  void successorWithWrongHeightLinkOrBodyIsRejected() {
    Block genesis = Block.genesis("c");
    Block one = Block.next(genesis, List.of("x"), "node-1", 1000);
    Block two = Block.next(one, List.of("y"), "node-1", 2000);
    assertThat(genesis.rejectAsSuccessor(two)).get().asString().contains("expected height 1");

    Block forged = Block.next(Block.genesis("other"), List.of("x"), "node-1", 1000);
    assertThat(genesis.rejectAsSuccessor(forged)).get().asString().contains("does not link");

    Block swappedBody = new Block(one.header(), List.of("tampered"));
    assertThat(genesis.rejectAsSuccessor(swappedBody)).get().asString().contains("body root");
  }

  @Test
  void headerHashChangesWithEveryField() {
    Block genesis = Block.genesis("c");
    Block one = Block.next(genesis, List.of("x"), "node-1", 1000);
    BlockHeader h = one.header();
    List<BlockHeader> variants = List.of(
        new BlockHeader(h.version(), h.height() + 1, h.previousHash(), h.bodyRoot(), h.timestampMillis(), h.producerId()),
        new BlockHeader(h.version(), h.height(), Sha3Hash.ZERO, h.bodyRoot(), h.timestampMillis(), h.producerId()),
        new BlockHeader(h.version(), h.height(), h.previousHash(), Sha3Hash.ZERO, h.timestampMillis(), h.producerId()),
        new BlockHeader(h.version(), h.height(), h.previousHash(), h.bodyRoot(), h.timestampMillis() + 1, h.producerId()),
        new BlockHeader(h.version(), h.height(), h.previousHash(), h.bodyRoot(), h.timestampMillis(), "node-2"));
    variants.forEach(v -> assertThat(v.hash()).isNotEqualTo(h.hash()));
  }

  @Test
  void malformedHashesAndHeadersAreRefused() {
    assertThatThrownBy(() -> new Sha3Hash(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sha3Hash.fromHex("zz")).hasMessageContaining("hexadecimal");
    assertThatThrownBy(() -> new BlockHeader(2, 0, Sha3Hash.ZERO, Sha3Hash.ZERO, 0, "p"))
        .hasMessageContaining("version");
    assertThatThrownBy(() -> new BlockHeader(1, -1, Sha3Hash.ZERO, Sha3Hash.ZERO, 0, "p"))
        .hasMessageContaining("negative");
  }

  @Test
  void sha3MatchesTheStandardTestVector() {
    // FIPS 202 example: SHA3-256 of the empty string.
    assertThat(Sha3Hash.of(new byte[0]).hex())
        .isEqualTo("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  }
}
