package org.latticare.node.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A node's cache of patients' identity keys for proofs, read from their enrolments on chain. An enrolment
 * never changes, so an entry never goes stale; the cache only spares each session the two reads of the
 * replica (the patient's transactions, then its enrolment block). Bounded, least recently used first out;
 * shared by the identity contracts of one node, so every access is synchronised.
 */
public final class ProofKeys {

  private final Map<String, byte[]> keys;

  public ProofKeys(int capacity) {
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized Optional<byte[]> get(String pseudonym) {
    return Optional.ofNullable(keys.get(pseudonym));
  }

  public synchronized void put(String pseudonym, byte[] key) {
    keys.put(pseudonym, key.clone());
  }
}
