package org.latticare.ledger;

import java.util.List;
import java.util.Optional;

/**
 * A block: a hash-linked header and its entries.
 *
 * <p>The walking skeleton carries entries as opaque text; typed, signed transactions replace them when
 * the consensus layer lands. The header commits to the entries through {@link #bodyRootOf}.
 */
public record Block(BlockHeader header, List<String> entries) {

  public static final String GENESIS_PRODUCER = "genesis";

  public Block {
    if (header == null || entries == null) {
      throw new IllegalArgumentException("a block needs a header and a list of entries");
    }
    entries = List.copyOf(entries);
  }

  /** The first block of a consortium's chain: the same on every node that agrees on the consortium. */
  public static Block genesis(String consortium) {
    List<String> entries = List.of("consortium:" + consortium);
    BlockHeader header = new BlockHeader(
        BlockHeader.CURRENT_VERSION, 0, Sha3Hash.ZERO, bodyRootOf(entries), 0L, GENESIS_PRODUCER);
    return new Block(header, entries);
  }

  /** The block that follows {@code previous}, produced by {@code producerId} at {@code timestampMillis}. */
  public static Block next(Block previous, List<String> entries, String producerId, long timestampMillis) {
    BlockHeader header = new BlockHeader(
        BlockHeader.CURRENT_VERSION,
        previous.height() + 1,
        previous.hash(),
        bodyRootOf(entries),
        Math.max(timestampMillis, previous.header().timestampMillis()),
        producerId);
    return new Block(header, entries);
  }

  public static Sha3Hash bodyRootOf(List<String> entries) {
    CanonicalWriter writer = new CanonicalWriter().writeInt(entries.size());
    entries.forEach(writer::writeString);
    return Sha3Hash.of(writer.toByteArray());
  }

  public long height() {
    return header.height();
  }

  public Sha3Hash hash() {
    return header.hash();
  }

  /**
   * Why {@code candidate} cannot follow {@code this} on the chain, or empty when it can: consecutive
   * height, the previous hash is this block's, the body root matches the entries, time does not go back.
   */
  public Optional<String> rejectAsSuccessor(Block candidate) {
    BlockHeader next = candidate.header();
    if (next.height() != height() + 1) {
      return Optional.of("expected height " + (height() + 1) + " but the block has height " + next.height());
    }
    if (!next.previousHash().equals(hash())) {
      return Optional.of("block " + next.height() + " does not link to block " + height() + " (previous hash "
          + next.previousHash() + ", head hash " + hash() + ")");
    }
    if (!next.bodyRoot().equals(bodyRootOf(candidate.entries()))) {
      return Optional.of("block " + next.height() + " body root does not match its entries");
    }
    if (next.timestampMillis() < header.timestampMillis()) {
      return Optional.of("block " + next.height() + " is timestamped before block " + height());
    }
    return Optional.empty();
  }
}
