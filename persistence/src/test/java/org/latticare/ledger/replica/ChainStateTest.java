package org.latticare.ledger.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.Block;

class ChainStateTest {

  private static List<Block> chain(int length) {
    List<Block> blocks = new ArrayList<>();
    blocks.add(Block.genesis("test"));
    for (int i = 1; i < length; i++) {
      blocks.add(Block.next(blocks.get(i - 1), List.of("entry " + i), "node-1", i));
    }
    return blocks;
  }

  @Test
  void appendKeepsEveryEarlierStateUnchanged() {
    List<Block> blocks = chain(2500);
    ChainState state = ChainState.empty();
    List<ChainState> history = new ArrayList<>();
    for (Block block : blocks) {
      history.add(state);
      state = state.append(block);
    }
    assertThat(state.blocks()).isEqualTo(blocks);
    for (int size = 0; size < history.size(); size += 97) {
      assertThat(history.get(size).blocks()).isEqualTo(blocks.subList(0, size));
    }
    assertThat(state.block(1500)).contains(blocks.get(1500));
    assertThat(state.block(2500)).isEmpty();
    assertThat(state.head()).isEqualTo(blocks.get(2499));
  }

  @Test
  void consistentChainPassesAndTheFirstBrokenLinkIsNamed() {
    List<Block> blocks = chain(10);
    assertThat(ChainState.of(blocks).firstInconsistency(blocks.get(0))).isEmpty();

    List<Block> tampered = new ArrayList<>(blocks);
    tampered.set(6, new Block(blocks.get(6).header(), List.of("rewritten")));
    assertThat(ChainState.of(tampered).firstInconsistency(blocks.get(0)))
        .get().asString().contains("block 6 body root");

    assertThat(ChainState.of(blocks).firstInconsistency(Block.genesis("another consortium")))
        .get().asString().contains("genesis");
  }
}
