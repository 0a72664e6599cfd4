package org.latticare.ledger.rules;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.latticare.ledger.Sha3Hash;

/**
 * The transactions whose signatures this node has verified already, each with the key it was verified under:
 * the node's mempool records what it admitted, and the node's own replica, validating a block, skips the
 * signatures it finds here instead of verifying them a second time in the same process. A transaction's hash
 * covers all its bytes, signature included, so a transaction whose bytes differ in any way is not found and is
 * verified in full; one found under another key is verified too. An entry is used once (a transaction is
 * committed once) and the map is bounded, least recently used out, so transactions admitted and never
 * committed cost nothing for long. Other replicas never see this node's entries: each verifies everything
 * it persists. Thread-safe: the mempool and the replica run on different threads.
 */
public final class VerifiedSignatures {

  /** Nothing recorded, nothing skipped: what an outside verifier and a replay use. */
  public static final VerifiedSignatures NONE = new VerifiedSignatures(0);

  private final int capacity;
  /**
   * The key each signature verified under, by transaction hash: the caller's own array, not a copy or a digest
   * (hashing a 1,952-byte key twice per transaction cost more than the lookup saves elsewhere); the mempool passes
   * the key it caches per identity, so entries share one array per submitter.
   */
  private final Map<Sha3Hash, byte[]> keyOf;

  public VerifiedSignatures(int capacity) {
    this.capacity = capacity;
    this.keyOf = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Sha3Hash, byte[]> eldest) {
        return size() > VerifiedSignatures.this.capacity;
      }
    };
  }

  /** The signature of transaction {@code tx} verified under {@code publicKey}. */
  public void record(Sha3Hash tx, byte[] publicKey) {
    if (capacity > 0) {
      synchronized (this) {
        keyOf.put(tx, publicKey);
      }
    }
  }

  /** Whether {@code tx}'s signature was verified under {@code publicKey}; the entry is used up either way. */
  public boolean take(Sha3Hash tx, byte[] publicKey) {
    if (capacity == 0) {
      return false;
    }
    byte[] key;
    synchronized (this) {
      key = keyOf.remove(tx);
    }
    return key != null && Arrays.equals(key, publicKey);
  }

  public synchronized int size() {
    return keyOf.size();
  }
}
