package org.latticare.node.process;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.client.ApiClient;

/**
 * A steady stream of signed submissions ({@code IdentityEnrolled} of a clinician, one nonce each) at a
 * fixed rate, spread round-robin over the fronts currently named as targets, with every answer kept: what
 * the fault-tolerance test checks against the chain afterwards. A submission is never retried, so each
 * acknowledged transaction was sent exactly once.
 */
final class TransactionStream implements AutoCloseable {

  /** One submission: its hash, the front it went to, when it was sent and answered, and the answer. */
  record Outcome(String hash, int target, long sentNanos, long answeredNanos, int status, String body) {
    boolean committed() {
      return status == 201;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis() * 1000);

  private final NodeProcesses nodes;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<Integer> targets;

  TransactionStream(NodeProcesses nodes, List<Integer> targets, int perSecond) {
    this.nodes = nodes;
    this.targets = List.copyOf(targets);
    ticker.scheduleAtFixedRate(this::submitOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
  }

  /** From now on, submissions go to these fronts only (one about to be killed or paused is left out first). */
  void targets(List<Integer> fronts) {
    this.targets = List.copyOf(fronts);
  }

  private void submitOne() {
    if (inFlight.get() >= 256) {
      return;
    }
    List<Integer> fronts = targets;
    int target = fronts.get(Math.floorMod(next.getAndIncrement(), fronts.size()));
    inFlight.incrementAndGet();
    submit(nodes, target).whenComplete((outcome, failure) -> {
      outcomes.add(outcome);
      inFlight.decrementAndGet();
    });
  }

  /** Sends one new enrolment to node {@code target}'s front; the outcome, never a failed future. */
  static CompletableFuture<Outcome> submit(NodeProcesses nodes, int target) {
    long nonce = NONCES.incrementAndGet();
    Transaction tx = Transaction.sign(nodes.adminKey(), "admin", nonce, System.currentTimeMillis(),
        new TxBody.IdentityEnrolled(new TxBody.Identity("dr-" + nonce, "clinician", "hospital-1",
            nodes.adminKey().publicKey())));
    ApiClient admin = nodes.admin(target);
    String hash = tx.hash().hex();
    long sent = System.nanoTime();
    return admin.http().sendAsync(admin.signed("POST", "/api/transactions",
            ApiClient.submitBody(tx).getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString())
        .handle((response, failure) -> new Outcome(hash, target, sent, System.nanoTime(),
            failure == null ? response.statusCode() : -1, failure == null ? response.body() : failure.toString()));
  }

  List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** The first commit answered for a submission sent after {@code nanos}. */
  OptionalLong firstCommitSentAfter(long nanos) {
    return outcomes.stream().filter(o -> o.committed() && o.sentNanos() > nanos)
        .mapToLong(Outcome::answeredNanos).min();
  }

  /** Stops submitting and waits (bounded) for the answers still outstanding. */
  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    ticker.awaitTermination(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  static long height(Outcome outcome) {
    try {
      return JSON.readTree(outcome.body()).path("height").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }
}
