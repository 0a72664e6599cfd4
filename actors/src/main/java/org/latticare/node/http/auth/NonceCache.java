package org.latticare.node.http.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The (keyid, nonce) pairs accepted within the freshness window, so that a captured request cannot
 * be sent again. An entry lives until its signature's {@code created} plus the window: after that
 * the same request is refused as stale anyway, so forgetting it is safe. The cache is bounded, and
 * when it is full of live entries it refuses ({@link Admission#FULL}) rather than evicting one,
 * since evicting a live entry would re-open its replay.
 *
 * <p>Thread-safe: concurrent attempts to record the same pair have exactly one winner.
 */
public final class NonceCache {

  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  /** What recording a pair did. */
  public enum Admission { RECORDED, REPLAYED, FULL }

  private record Key(String keyId, String nonce) {}

  private record Expiry(Key key, long expiresAtMillis) {}

  private final Duration window;
  private final int maxEntries;
  private final Map<Key, Long> expiries = new ConcurrentHashMap<>();
  // Recording order, which is close to expiry order: purging from the head is usually all it takes.
  private final Queue<Expiry> order = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final ReentrantLock sweeping = new ReentrantLock();

  public NonceCache(Duration window, int maxEntries) {
    if (window.isNegative() || window.isZero() || maxEntries < 1) {
      throw new IllegalArgumentException("a nonce cache needs a positive window and room for one entry");
    }
    this.window = window;
    this.maxEntries = maxEntries;
  }

  public NonceCache(Duration window) {
    this(window, DEFAULT_MAX_ENTRIES);
  }

  public Duration window() {
    return window;
  }

  /** Whether the pair was recorded and has not expired: a cheap early refusal that records nothing. */
  public boolean seen(String keyId, String nonce, Instant now) {
    Long expiresAt = expiries.get(new Key(keyId, nonce));
    return expiresAt != null && expiresAt > now.toEpochMilli();
  }

  /** Records the pair of a signature created at {@code created}, unless it is live already or there is no room. */
  public Admission record(String keyId, String nonce, Instant created, Instant now) {
    long nowMillis = now.toEpochMilli();
    long expiresAt = created.plus(window).toEpochMilli();
    Key key = new Key(keyId, nonce);
    purgeHead(nowMillis);
    // A replay is a replay even when the cache is full: say so rather than "busy".
    if (seen(keyId, nonce, now)) {
      return Admission.REPLAYED;
    }
    if (!reserve(nowMillis)) {
      return Admission.FULL;
    }
    while (true) {
      Long existing = expiries.putIfAbsent(key, expiresAt);
      if (existing == null) {
        order.add(new Expiry(key, expiresAt));
        return Admission.RECORDED;
      }
      if (existing > nowMillis) {
        size.decrementAndGet();
        return Admission.REPLAYED;
      }
      // An expired entry for the same pair is still counted: take its place instead of adding one.
      if (expiries.replace(key, existing, expiresAt)) {
        size.decrementAndGet();
        order.add(new Expiry(key, expiresAt));
        return Admission.RECORDED;
      }
    }
  }

  /** Entries held, live or not yet purged. */
  public int size() {
    return size.get();
  }

  private boolean reserve(long nowMillis) {
    if (size.incrementAndGet() <= maxEntries) {
      return true;
    }
    size.decrementAndGet();
    sweep(nowMillis);
    if (size.incrementAndGet() <= maxEntries) {
      return true;
    }
    size.decrementAndGet();
    return false;
  }

  private void purgeHead(long nowMillis) {
    Expiry head;
    while ((head = order.peek()) != null && head.expiresAtMillis() <= nowMillis) {
      if (order.remove(head) && expiries.remove(head.key(), head.expiresAtMillis())) {
        size.decrementAndGet();
      }
    }
  }

  // Entries created in the future outlive the ones behind them, so the head can pin expired entries;
  // when the cache looks full one thread walks it all before anyone is refused.
  private void sweep(long nowMillis) {
    if (!sweeping.tryLock()) {
      return;
    }
    try {
      for (Map.Entry<Key, Long> entry : expiries.entrySet()) {
        if (entry.getValue() <= nowMillis && expiries.remove(entry.getKey(), entry.getValue())) {
          size.decrementAndGet();
        }
      }
      order.removeIf(expiry -> expiry.expiresAtMillis() <= nowMillis);
    } finally {
      sweeping.unlock();
    }
  }
}
