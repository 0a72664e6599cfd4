package org.latticare.node.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.ledger.store.ChainTruncation;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.TestCluster;

/**
 * A replica that holds a block no other replica has (its node, the producer's, died right after persisting it)
 * comes back after the consortium committed other blocks from that height: it finds its own was never committed,
 * keeps a copy, its node restarts and drops it, and then follows the committed chain.
 */
class ForkedReplicaMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private TestCluster cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void aBlockOnlyOneReplicaHeldIsDroppedAtItsRestartAndTheCommittedChainTakesItsPlace() throws Exception {
    cluster = TestCluster.start(3, List.of(ROLES, ROLES, ROLES));
    MlDsa65.KeyPair admin = cluster.clientKey("admin");
    commit(0, Transaction.sign(admin, "admin", 0, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-1", new byte[] {1}, Sha3Hash.ZERO)));
    awaitSameHead();
    long height = head(2).height();
    Block parent = blockAt(2, height);

    // node-3 goes down; on its own, it had persisted a block it signed as producer that no other replica ever got
    cluster.stop(2);
    cluster.awaitMembersUp(2);
    Path node3 = cluster.dataDir.resolve("node-3");
    Transaction lone = Transaction.sign(admin, "admin", 1, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-lone", "p-1", Sha3Hash.ZERO, 1, "store", new byte[0]));
    Block minority = Block.produce(parent, List.of(lone), "node-3", ConsortiumFiles.readKey(node3.resolve("node.key")),
        System.currentTimeMillis());
    appendOffline(node3, minority);

    // meanwhile node-1 and node-2, a majority, commit two other blocks from that height
    commit(0, Transaction.sign(admin, "admin", 2, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-2", "p-1", Sha3Hash.ZERO, 2, "store", new byte[0])));
    commit(1, Transaction.sign(admin, "admin", 3, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-3", "p-1", Sha3Hash.ZERO, 3, "store", new byte[0])));
    Block committed = blockAt(0, height + 1);
    assertThat(committed.hash()).isNotEqualTo(minority.hash());

    // node-3 comes back: the next block its peers send does not link, and a majority holds another block at its
    // head's height; it keeps a copy of its block and stops to drop it
    cluster.addNode("node-3", ROLES, 3);
    cluster.kits.get(2).system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertThat(ChainTruncation.pending(node3)).hasValueSatisfying(request -> {
      assertThat(request.keepHeight()).isEqualTo(height);
      assertThat(request.headHeight()).isEqualTo(height + 1);
    });
    assertThat(node3.resolve("dropped-blocks").resolve("block-" + (height + 1) + ".bin"))
        .hasBinaryContent(minority.encode());
    cluster.stop(2);

    // started again on its data directory, it drops the block and follows the committed chain
    cluster.addNode("node-3", ROLES, 3);
    cluster.awaitMembersUp(3);
    commit(2, Transaction.sign(admin, "admin", 4, System.currentTimeMillis(),
        new TxBody.RecordAnchored("r-4", "p-1", Sha3Hash.ZERO, 4, "store", new byte[0])));
    awaitSameHead();
    assertThat(blockAt(2, height + 1)).isEqualTo(committed);
    assertThat(ChainTruncation.pending(node3)).isEmpty();
    try (var filed = Files.list(node3.resolve("dropped-blocks"))) {
      assertThat(filed.map(p -> p.getFileName().toString())).anyMatch(name -> name.startsWith("truncation-to-"));
    }
  }

  /** Appends {@code block} to node {@code dataDir}'s replica while its node is down, as its producer once did. */
  private void appendOffline(Path dataDir, Block block) throws Exception {
    ActorTestKit kit = ActorTestKit.create("offline", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dataDir.toString(), "akka.actor.provider", "local")));
    try (ChainIndex index = LevelDbChainIndex.open(dataDir.resolve("chain-index"))) {
      var replica = kit.spawn(ChainReplica.create("node-3", cluster.genesis, 1000, 2, ForkJoinPool.commonPool(),
          VerifiedSignatures.NONE, index));
      TestProbe<StatusReply<ChainReplica.Appended>> appended = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(block.encode(), appended.getRef()));
      StatusReply<ChainReplica.Appended> reply = appended.receiveMessage(Duration.ofSeconds(30));
      assertThat(reply.isSuccess()).as(String.valueOf(reply)).isTrue();
    } finally {
      kit.shutdownTestKit();
    }
  }

  private void commit(int via, Transaction tx) {
    TestProbe<SubmitResult> probe = cluster.kits.get(via).createTestProbe();
    cluster.nodes.get(via).mempool().tell(new Mempool.Submit(tx.encode(), probe.getRef()));
    SubmitResult result = probe.receiveMessage(Duration.ofSeconds(40));
    assertThat(result.outcome()).as(result.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
  }

  private ChainReplica.Head head(int node) {
    TestProbe<ChainReplica.Head> probe = cluster.kits.get(node).createTestProbe();
    cluster.nodes.get(node).replica().tell(new ChainReplica.GetHead(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(15));
  }

  private Block blockAt(int node, long height) {
    TestProbe<StatusReply<byte[]>> probe = cluster.kits.get(node).createTestProbe();
    cluster.nodes.get(node).replica().tell(new ChainReplica.GetBlock(height, probe.getRef()));
    return Block.decode(probe.receiveMessage(Duration.ofSeconds(15)).getValue());
  }

  private void awaitSameHead() {
    ActorTestKit first = cluster.running().get(0);
    first.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      ChainReplica.Head reference = head(0);
      for (int node = 1; node < 3; node++) {
        assertThat(head(node).hash()).as("head of node-%d", node + 1).isEqualTo(reference.hash());
      }
      return null;
    });
  }
}
