package org.latticare.ledger.index;

import java.util.List;
import java.util.Optional;

import org.latticare.ledger.Sha3Hash;

/**
 * What a replica looks up by key and never iterates, kept apart from the ledger state so that it need not
 * live in the heap nor in every snapshot: for each used nonce, the height of the block that used it and
 * the transaction; for each transaction, where it is.
 *
 * <p>The index is written after the block is persisted (in the replica's event handler, which also runs
 * while recovery replays), so it may already hold the blocks a recovery replays again: every entry
 * carries its height, readers ignore entries above the height they stand at (the ledger's head), and
 * writing a block again writes the same entries. {@link #height} is the highest block written, and every
 * block below it was written too, as blocks are written in order, each in one atomic batch.
 *
 * <p>Used by one replica at a time, from its own thread.
 */
public interface ChainIndex extends AutoCloseable {

  /** {@link #height} of an index that holds no block. */
  long EMPTY = -1;

  /** A nonce's use: the block that used it and the transaction that did. */
  record NonceUse(long height, Sha3Hash transaction) {}

  /** Where a transaction is: block height and position in the block. */
  record TxLocation(long height, int index) {}

  /** A nonce a block's transaction used. */
  record UsedNonce(String submitter, long nonce, Sha3Hash transaction) {}

  /** What one block adds: the nonces its transactions used, and its transactions' hashes in block order. */
  record BlockEntries(long height, List<UsedNonce> nonces, List<Sha3Hash> transactions) {}

  /** The highest block written, or {@link #EMPTY}. */
  long height();

  Optional<NonceUse> nonce(String submitter, long nonce);

  Optional<TxLocation> location(Sha3Hash transaction);

  /** Writes one block's entries at once; writing a block again (a recovery replaying it) changes nothing. */
  void add(BlockEntries block);

  /** Forgets everything: for an index found ahead of the journal, which is then built again by replay. */
  void clear();

  /**
   * Forgets every entry above {@code height} and stands at it (if it stood higher): for blocks dropped from the
   * journal because the consortium never committed them. Repeating it after a crash finishes it.
   */
  void truncate(long height);

  @Override
  void close();
}
