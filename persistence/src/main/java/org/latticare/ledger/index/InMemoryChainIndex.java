package org.latticare.ledger.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.latticare.ledger.Sha3Hash;

/**
 * A chain index in the heap: for tests, for tools that check a chain once ({@code ChainVerifier}), and for a
 * replica run without a data directory of its own. Grows with every transaction.
 */
public final class InMemoryChainIndex implements ChainIndex {

  private record NonceKey(String submitter, long nonce) {}

  private final Map<NonceKey, NonceUse> nonces = new HashMap<>();
  private final Map<Sha3Hash, TxLocation> locations = new HashMap<>();
  private long height = EMPTY;

  @Override
  public long height() {
    return height;
  }

  @Override
  public Optional<NonceUse> nonce(String submitter, long nonce) {
    return Optional.ofNullable(nonces.get(new NonceKey(submitter, nonce)));
  }

  @Override
  public Optional<TxLocation> location(Sha3Hash transaction) {
    return Optional.ofNullable(locations.get(transaction));
  }

  @Override
  public void add(BlockEntries block) {
    for (UsedNonce used : block.nonces()) {
      nonces.put(new NonceKey(used.submitter(), used.nonce()), new NonceUse(block.height(), used.transaction()));
    }
    List<Sha3Hash> transactions = block.transactions();
    for (int i = 0; i < transactions.size(); i++) {
      locations.put(transactions.get(i), new TxLocation(block.height(), i));
    }
    height = Math.max(height, block.height());
  }

  @Override
  public void clear() {
    nonces.clear();
    locations.clear();
    height = EMPTY;
  }

  @Override
  public void truncate(long newHeight) {
    if (height <= newHeight) {
      return;
    }
    nonces.values().removeIf(use -> use.height() > newHeight);
    locations.values().removeIf(location -> location.height() > newHeight);
    height = newHeight;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
