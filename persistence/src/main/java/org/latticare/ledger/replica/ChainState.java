package org.latticare.ledger.replica;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.latticare.ledger.Block;

/**
 * The replica's chain, immutable: appending returns a new state that shares every full chunk with the
 * old one. Akka serializes snapshots on another thread while the actor goes on appending, so the
 * state handed to it must never change; copying the whole chain per block would make appends O(n).
 * It is stored as a {@link ChainReplica.ChainSnapshot}, a plain list of blocks.
 */
public final class ChainState {

  private static final int CHUNK = 1024;
  private static final ChainState EMPTY = new ChainState(List.of(), new Block[0]);

  private final List<Block[]> fullChunks;
  private final Block[] tail;

  private ChainState(List<Block[]> fullChunks, Block[] tail) {
    this.fullChunks = fullChunks;
    this.tail = tail;
  }

  public static ChainState empty() {
    return EMPTY;
  }

  public static ChainState of(List<Block> blocks) {
    ChainState state = EMPTY;
    for (Block block : blocks) {
      state = state.append(block);
    }
    return state;
  }

  public ChainState append(Block block) {
    Block[] grown = Arrays.copyOf(tail, tail.length + 1);
    grown[tail.length] = block;
    if (grown.length < CHUNK) {
      return new ChainState(fullChunks, grown);
    }
    List<Block[]> chunks = new ArrayList<>(fullChunks.size() + 1);
    chunks.addAll(fullChunks);
    chunks.add(grown);
    return new ChainState(List.copyOf(chunks), new Block[0]);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public int size() {
    return fullChunks.size() * CHUNK + tail.length;
  }

  public Block head() {
    if (isEmpty()) {
      throw new IllegalStateException("the chain has no genesis block yet");
    }
    return get(size() - 1);
  }

  public Optional<Block> block(long height) {
    return height >= 0 && height < size() ? Optional.of(get((int) height)) : Optional.empty();
  }

  private Block get(int index) {
    int chunk = index / CHUNK;
    return chunk < fullChunks.size() ? fullChunks.get(chunk)[index % CHUNK] : tail[index - chunk * CHUNK];
  }

  public List<Block> blocks() {
    List<Block> all = new ArrayList<>(size());
    fullChunks.forEach(chunk -> all.addAll(Arrays.asList(chunk)));
    all.addAll(Arrays.asList(tail));
    return all;
  }

  /**
   * The first break in the chain, or empty when every block links to the one before it and the first
   * is {@code genesis}. Run on recovery, so a journal edited on disk is refused instead of served.
   */
  public Optional<String> firstInconsistency(Block genesis) {
    if (isEmpty()) {
      return Optional.empty();
    }
    if (!get(0).equals(genesis)) {
      return Optional.of("block 0 is not this consortium's genesis block (hash " + get(0).hash()
          + ", expected " + genesis.hash() + ")");
    }
    for (int i = 1; i < size(); i++) {
      Optional<String> problem = get(i - 1).rejectAsSuccessor(get(i));
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }
}
