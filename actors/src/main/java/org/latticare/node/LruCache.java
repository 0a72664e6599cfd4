package org.latticare.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded map that lets its least recently used entry go when full. Every access is synchronised, so actors
 * and the front's threads may share one. Meant for facts of the chain that never change once found (an
 * enrolled identity, a patient's proof key): an entry never goes stale, it only costs memory.
 */
public final class LruCache<K, V> {

  private final Map<K, V> entries;

  public LruCache(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized Optional<V> get(K key) {
    return Optional.ofNullable(entries.get(key));
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }
}
