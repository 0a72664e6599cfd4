package org.latticare.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.Receptionist;
import akka.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.chain.ReplicaSync;

/**
 * A replica that fails while handling one block (a bug, a fault in a library) is restarted by the node's
 * supervision, recovers from its journal, catches up from a peer, and its subscribers keep hearing of blocks.
 */
class ReplicaRestartTest {

  /** A verification pool that throws on its first use: the replica fails in the middle of validating a block. */
  private static final class FailingOnce extends ForkJoinPool {
    final AtomicInteger failuresLeft = new AtomicInteger(1);

    FailingOnce() {
      super(1);
    }

    @Override
    public <T> ForkJoinTask<T> submit(Callable<T> task) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("fault injected while verifying a block");
      }
      return super.submit(task);
    }
  }

  @Test
  void aReplicaThatFailsOnABlockIsRestartedCatchesUpAndKeepsItsSubscribers() throws Exception {
    Path dataDir = Files.createTempDirectory("replica-restart");
    Block genesis = ConsortiumFiles.found("restart", List.of(new ConsortiumFiles.Founder("hospital-1", "node-1",
            List.of(NodeSettings.ROLE_PRODUCER))), EmbeddedConsortium.CLIENTS, dataDir,
        EmbeddedConsortium.clientKeys(dataDir));
    MlDsa65.KeyPair producerKey = ConsortiumFiles.readKey(dataDir.resolve("node-1").resolve("node.key"));
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve("admin.key"));
    List<Block> chain = new ArrayList<>();
    Block previous = genesis;
    long time = System.currentTimeMillis() - 1_000;
    for (int n = 0; n < 4; n++) {
      TxBody body = n == 0
          ? new TxBody.PatientEnrolled("p-1", new byte[] {1}, Sha3Hash.ZERO)
          : new TxBody.RecordAnchored("r-" + n, "p-1", Sha3Hash.ZERO, n, "store", new byte[0]);
      Transaction tx = Transaction.sign(admin, "admin", n, time + n, body);
      previous = Block.produce(previous, List.of(tx), "node-1", producerKey, time + n);
      chain.add(previous);
    }

    ActorTestKit kit = ActorTestKit.create("restart", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dataDir.resolve("node-1").toString(),
        "akka.actor.provider", "local")));
    try {
      ActorRef<ChainReplica.Command> peer = kit.spawn(
          ChainReplica.create("node-2", genesis, 100, 2, ForkJoinPool.commonPool()), "peer-replica");
      FailingOnce pool = new FailingOnce();
      ActorRef<ChainReplica.Command> replica = kit.spawn(LatticareNode.restartOnFailure(
          ChainReplica.create("node-1", genesis, 100, 2, pool)), "chain-replica");
      TestProbe<ChainReplica.BlockCommitted> subscriber = kit.createTestProbe();
      replica.tell(new ChainReplica.Subscribe(subscriber.getRef()));
      for (Block block : chain) {
        assertThat(append(kit, peer, block).isSuccess()).as("peer takes block %d", block.height()).isTrue();
      }

      TestProbe<StatusReply<ChainReplica.Appended>> crashed = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(chain.get(0).encode(), crashed.getRef()));
      crashed.expectNoMessage(Duration.ofMillis(500));
      assertThat(pool.failuresLeft.get()).as("the fault fired, once").isZero();
      assertThat(head(kit, replica).height()).as("restarted on its journal, without the block it failed on")
          .isZero();

      kit.system().receptionist().tell(Receptionist.register(ChainReplica.SERVICE_KEY, peer));
      kit.system().receptionist().tell(Receptionist.register(ChainReplica.SERVICE_KEY, replica));
      kit.spawn(ReplicaSync.create("node-1", replica, Duration.ofMillis(200), Duration.ofSeconds(5)), "replica-sync");
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
        assertThat(head(kit, replica).hash()).isEqualTo(chain.get(3).hash().hex());
        return null;
      });
      List<Long> heard = new ArrayList<>();
      for (int i = 0; i < chain.size(); i++) {
        heard.add(subscriber.receiveMessage(Duration.ofSeconds(5)).height());
      }
      assertThat(heard).as("the subscriber taken before the failure hears of every block after it")
          .containsExactly(1L, 2L, 3L, 4L);
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static StatusReply<ChainReplica.Appended> append(ActorTestKit kit, ActorRef<ChainReplica.Command> replica,
      Block block) {
    TestProbe<StatusReply<ChainReplica.Appended>> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.AppendBlock(block.encode(), probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(20));
  }

  private static ChainReplica.Head head(ActorTestKit kit, ActorRef<ChainReplica.Command> replica) {
    TestProbe<ChainReplica.Head> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.GetHead(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(20));
  }
}
