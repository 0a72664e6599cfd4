package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.latticare.node.http.auth.NonceCache.Admission;

class NonceCacheTest {

  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final Duration WINDOW = Duration.ofSeconds(60);

  @Test
  void aPairIsRefusedUntilItsSignatureIsStale() {
    NonceCache cache = new NonceCache(WINDOW, 10);
    assertThat(cache.record("alice", "n1", T0, T0)).isEqualTo(Admission.RECORDED);
    assertThat(cache.seen("alice", "n1", T0.plusSeconds(59))).isTrue();
    assertThat(cache.record("alice", "n1", T0, T0.plusSeconds(59))).isEqualTo(Admission.REPLAYED);
    assertThat(cache.record("bob", "n1", T0, T0)).as("nonces are per key").isEqualTo(Admission.RECORDED);

    assertThat(cache.seen("alice", "n1", T0.plusSeconds(61))).isFalse();
    assertThat(cache.record("alice", "n1", T0.plusSeconds(61), T0.plusSeconds(61))).isEqualTo(Admission.RECORDED);
  }

  @Test
  void whenFullOfLiveEntriesItRefusesInsteadOfEvicting() {
    NonceCache cache = new NonceCache(WINDOW, 2);
    cache.record("alice", "n1", T0, T0);
    cache.record("alice", "n2", T0, T0);
    assertThat(cache.record("alice", "n3", T0, T0.plusSeconds(1))).isEqualTo(Admission.FULL);
    assertThat(cache.record("alice", "n1", T0, T0.plusSeconds(1))).as("still guarded").isEqualTo(Admission.REPLAYED);

    assertThat(cache.record("alice", "n3", T0.plusSeconds(61), T0.plusSeconds(61))).isEqualTo(Admission.RECORDED);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void expiredEntriesBehindALongerLivedOneAreSweptWhenFull() {
    NonceCache cache = new NonceCache(WINDOW, 2);
    cache.record("alice", "future", T0.plusSeconds(50), T0);
    cache.record("alice", "now", T0, T0);
    assertThat(cache.record("alice", "later", T0.plusSeconds(70), T0.plusSeconds(70))).isEqualTo(Admission.RECORDED);
  }

  @Test
  void concurrentAttemptsAtOneNonceHaveExactlyOneWinner() throws Exception {
    NonceCache cache = new NonceCache(WINDOW, 1000);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 200; round++) {
        String nonce = "n" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Admission>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(pool.submit(() -> {
            start.await();
            return cache.record("alice", nonce, T0, T0);
          }));
        }
        start.countDown();
        List<Admission> admissions = new ArrayList<>();
        for (Future<Admission> result : results) {
          admissions.add(result.get());
        }
        assertThat(admissions).filteredOn(a -> a == Admission.RECORDED).hasSize(1);
        assertThat(admissions).filteredOn(a -> a == Admission.REPLAYED).hasSize(threads - 1);
      }
      assertThat(cache.size()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }
}
