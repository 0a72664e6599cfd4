package org.latticare.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import akka.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.latticare.ledger.Block;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.LatticareNode.NodeRefs;
import org.latticare.node.TestCluster;

/**
 * Three ActorSystems in one JVM: transactions through any node's mempool, the producer singleton,
 * majority commit, catch-up of a restarted replica, and fail-over when the producer's node is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private static TestCluster cluster;
  private static MlDsa65.KeyPair admin;
  private static long nonce;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(3, List.of(ROLES, ROLES, ROLES));
    admin = cluster.clientKey("admin");
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  private static Transaction nextTransaction() {
    long n = nonce++;
    TxBody body = n == 0
        ? new TxBody.PatientEnrolled("p-1", new byte[] {1}, Sha3Hash.ZERO)
        : new TxBody.RecordAnchored("r-" + n, "p-1", Sha3Hash.ZERO, n, "store", new byte[0]);
    return Transaction.sign(admin, "admin", n, System.currentTimeMillis(), body);
  }

  /** Submits through node {@code via}'s mempool; the probe gets the outcome. */
  private static TestProbe<SubmitResult> submit(int via, Transaction tx) {
    ActorTestKit kit = cluster.kits.get(via);
    TestProbe<SubmitResult> probe = kit.createTestProbe();
    cluster.nodes.get(via).mempool().tell(new Mempool.Submit(tx.encode(), probe.getRef()));
    return probe;
  }

  private static ChainReplica.Head head(int node) {
    TestProbe<ChainReplica.Head> probe = cluster.kits.get(node).createTestProbe();
    cluster.nodes.get(node).replica().tell(new ChainReplica.GetHead(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private static List<Block> chainOf(int node) {
    NodeRefs refs = cluster.nodes.get(node);
    long height = head(node).height();
    List<Block> blocks = new ArrayList<>();
    for (long h = 1; h <= height; h++) {
      TestProbe<StatusReply<byte[]>> probe = cluster.kits.get(node).createTestProbe();
      refs.replica().tell(new ChainReplica.GetBlock(h, probe.getRef()));
      blocks.add(Block.decode(probe.receiveMessage(Duration.ofSeconds(15)).getValue()));
    }
    return blocks;
  }

  private static List<String> transactionHashes(List<Block> chain) {
    return chain.stream().flatMap(b -> b.transactions().stream()).map(tx -> tx.hash().hex()).toList();
  }

  private static void awaitSameChain(List<Integer> nodes) {
    cluster.kits.get(nodes.get(0)).createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      ChainReplica.Head reference = head(nodes.get(0));
      for (int node : nodes) {
        ChainReplica.Head seen = head(node);
        assertThat(seen.height()).as("height of node-%d", node + 1).isEqualTo(reference.height());
        assertThat(seen.hash()).as("head of node-%d", node + 1).isEqualTo(reference.hash());
      }
      return null;
    });
  }

  @Test
  @Order(1)
  void transactionsSubmittedOnAnyNodeCommitOnEveryReplicaInTheSameOrder() {
    assertThat(submit(0, nextTransaction()).receiveMessage(Duration.ofSeconds(30)).outcome())
        .isEqualTo(SubmitResult.Outcome.COMMITTED);
    List<TestProbe<SubmitResult>> probes = new ArrayList<>();
    List<String> submitted = new ArrayList<>();
    awaitSameChain(List.of(0, 1, 2));
    long heightBefore = chainOf(0).size();
    long verificationsBefore = MlDsa65.verifications();
    for (int i = 0; i < 30; i++) {
      Transaction tx = nextTransaction();
      submitted.add(tx.hash().hex());
      probes.add(submit(i % 3, tx));
    }
    for (TestProbe<SubmitResult> probe : probes) {
      SubmitResult result = probe.receiveMessage(Duration.ofSeconds(30));
      assertThat(result.outcome()).as(result.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
    }
    awaitSameChain(List.of(0, 1, 2));
    // each transaction verified by the mempool that admitted it and by the two other replicas, not by the
    // admitting node's replica again; each block's signature by every replica
    long blocks = chainOf(0).size() - heightBefore;
    assertThat(MlDsa65.verifications() - verificationsBefore).isEqualTo(3 * 30 + 3 * blocks);
    List<String> order = transactionHashes(chainOf(0));
    assertThat(transactionHashes(chainOf(1))).isEqualTo(order);
    assertThat(transactionHashes(chainOf(2))).isEqualTo(order);
    assertThat(order).containsAll(submitted).doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void aReplayedOrForgedTransactionIsRefusedWithItsReason() {
    Transaction replay = Transaction.sign(admin, "admin", 0, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-replay", "p-1", Sha3Hash.ZERO, 1, "chain", new byte[0]));
    SubmitResult replayed = submit(1, replay).receiveMessage(Duration.ofSeconds(30));
    assertThat(replayed.outcome()).isEqualTo(SubmitResult.Outcome.REFUSED);
    assertThat(replayed.reason()).contains("replay");

    Transaction forged = Transaction.sign(MlDsa65.generate(), "admin", 10_000, 1,
        new TxBody.RecordErased("r-1"));
    SubmitResult refused = submit(2, forged).receiveMessage(Duration.ofSeconds(30));
    assertThat(refused.outcome()).isEqualTo(SubmitResult.Outcome.REFUSED);
    assertThat(refused.reason()).contains("signature");

    Transaction stranger = Transaction.sign(MlDsa65.generate(), "nobody", 1, 1, new TxBody.RecordErased("r-1"));
    assertThat(submit(0, stranger).receiveMessage(Duration.ofSeconds(30)).reason()).contains("not an enrolled identity");
  }

  /** A client whose answer was lost sends the same bytes again: they are on chain, and that is its answer. */
  @Test
  @Order(2)
  void theSameTransactionSentAgainIsAnsweredWithWhereItCommitted() {
    Transaction tx = nextTransaction();
    SubmitResult first = submit(0, tx).receiveMessage(Duration.ofSeconds(30));
    assertThat(first.outcome()).as(first.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
    for (int via = 0; via < 3; via++) {
      SubmitResult again = submit(via, tx).receiveMessage(Duration.ofSeconds(30));
      assertThat(again.outcome()).as(again.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
      assertThat(again.transactionHash()).isEqualTo(first.transactionHash());
      assertThat(again.height()).isEqualTo(first.height());
      assertThat(again.blockHash()).isEqualTo(first.blockHash());
    }
    // another body under the used nonce stays a replay
    Transaction other = Transaction.sign(admin, "admin", tx.nonce(), System.currentTimeMillis(),
        new TxBody.RecordErased("r-other"));
    SubmitResult refused = submit(1, other).receiveMessage(Duration.ofSeconds(30));
    assertThat(refused.outcome()).isEqualTo(SubmitResult.Outcome.REFUSED);
    assertThat(refused.code()).isEqualTo("NONCE_REPLAYED");
    awaitSameChain(List.of(0, 1, 2));
    assertThat(transactionHashes(chainOf(0)).stream().filter(first.transactionHash()::equals)).hasSize(1);
  }

  @Test
  @Order(3)
  void aStoppedReplicaCatchesUpAfterRestart() {
    cluster.stop(2);
    cluster.awaitMembersUp(2);
    for (int i = 0; i < 12; i++) {
      SubmitResult result = submit(i % 2, nextTransaction()).receiveMessage(Duration.ofSeconds(30));
      assertThat(result.outcome()).as(result.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
    }
    long height = head(0).height();
    cluster.addNode("node-3", ROLES, 3);
    cluster.awaitMembersUp(3);
    awaitSameChain(List.of(0, 1, 2));
    assertThat(head(2).height()).isGreaterThanOrEqualTo(height);
    assertThat(transactionHashes(chainOf(2))).isEqualTo(transactionHashes(chainOf(0)));
  }

  @Test
  @Order(4)
  void losingTheProducersNodeLosesNoAcknowledgedTransaction() {
    // The singleton runs on the oldest producer node: node-1, the first to join.
    List<TestProbe<SubmitResult>> probes = new ArrayList<>();
    List<Transaction> sent = new ArrayList<>();
    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      Transaction tx = nextTransaction();
      sent.add(tx);
      probes.add(submit(1 + i % 2, tx));
      if (i == 20) {
        // let the first ones commit, then take the producer's node down with the rest in flight
        SubmitResult first = probes.get(0).receiveMessage(Duration.ofSeconds(30));
        assertThat(first.outcome()).as(first.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
        acknowledged.add(first.transactionHash());
        Cluster.get(cluster.kits.get(1).system()).manager()
            .tell(new Down(Cluster.get(cluster.kits.get(0).system()).selfMember().address()));
      }
    }
    for (int i = 1; i < probes.size(); i++) {
      // every submission is answered, committed or not (the mempool answers UNAVAILABLE when the producer is lost)
      SubmitResult result = probes.get(i).receiveMessage(Duration.ofSeconds(40));
      if (result.outcome() == SubmitResult.Outcome.COMMITTED) {
        acknowledged.add(sent.get(i).hash().hex());
      }
    }
    cluster.kits.get(0).shutdownTestKit();
    cluster.kits.set(0, null);
    cluster.nodes.set(0, null);
    cluster.awaitMembersUp(2);

    SubmitResult afterFailover = submit(1, nextTransaction()).receiveMessage(Duration.ofSeconds(40));
    assertThat(afterFailover.outcome()).as(afterFailover.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
    acknowledged.add(afterFailover.transactionHash());

    awaitSameChain(List.of(1, 2));
    for (int node : List.of(1, 2)) {
      List<String> onChain = transactionHashes(chainOf(node));
      assertThat(onChain).doesNotHaveDuplicates().containsAll(acknowledged);
    }
    assertThat(acknowledged.size()).as("some transactions committed around the fail-over").isGreaterThan(1);
  }
}
