package org.latticare.node.identity;

import java.util.Optional;

import org.latticare.node.LruCache;

/**
 * A node's cache of patients' identity keys for proofs, read from their enrolments on chain. An enrolment
 * never changes, so an entry never goes stale; the cache only spares each session the two reads of the
 * replica (the patient's transactions, then its enrolment block). Bounded, least recently used first out;
 * shared by the identity contracts of one node.
 */
public final class ProofKeys {

  private final LruCache<String, byte[]> keys;

  public ProofKeys(int capacity) {
    this.keys = new LruCache<>(capacity);
  }

  public Optional<byte[]> get(String pseudonym) {
    return keys.get(pseudonym);
  }

  public void put(String pseudonym, byte[] key) {
    keys.put(pseudonym, key.clone());
  }
}
