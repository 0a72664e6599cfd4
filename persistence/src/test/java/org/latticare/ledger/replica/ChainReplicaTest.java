package org.latticare.ledger.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;

class ChainReplicaTest {

  private static final String CONSORTIUM = "replica-test";

  private static Config nodeConfig(Path dataDir) {
    return LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dataDir.toString(),
        "akka.actor.provider", "local"));
  }

  private static ChainReplica.Head head(ActorTestKit kit, ActorRef<ChainReplica.Command> replica) {
    TestProbe<ChainReplica.Head> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.GetHead(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static StatusReply<ChainReplica.Appended> append(
      ActorTestKit kit, ActorRef<ChainReplica.Command> replica, Block block) {
    TestProbe<StatusReply<ChainReplica.Appended>> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.AppendBlock(block, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static Block blockAt(ActorTestKit kit, ActorRef<ChainReplica.Command> replica, long height) {
    TestProbe<StatusReply<Block>> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.GetBlock(height, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10)).getValue();
  }

  @Test
  void recoversEveryBlockAfterItsActorSystemRestartsOnTheSameDirectory() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    Block genesis = Block.genesis(CONSORTIUM);
    Block last = genesis;
    ActorTestKit first = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      // snapshotEvery = 5 so that recovery goes through a snapshot and then replays events after it.
      var replica = first.spawn(ChainReplica.create("node-1", CONSORTIUM, 5, 2));
      assertThat(head(first, replica).hash()).isEqualTo(genesis.hash().hex());
      for (int i = 1; i <= 12; i++) {
        last = Block.next(last, List.of("entry " + i), "node-1", 1000L * i);
        assertThat(append(first, replica, last).isSuccess()).isTrue();
      }
    } finally {
      first.shutdownTestKit();
    }
    assertThat(Files.list(dir.resolve("snapshots")).count()).isPositive();

    ActorTestKit second = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = second.spawn(ChainReplica.create("node-1", CONSORTIUM, 5, 2));
      ChainReplica.Head recovered = head(second, replica);
      assertThat(recovered.height()).isEqualTo(12);
      assertThat(recovered.hash()).isEqualTo(last.hash().hex());
      assertThat(blockAt(second, replica, 7).entries()).containsExactly("entry 7");
      Block next = Block.next(last, List.of("after restart"), "node-1", 99_000);
      assertThat(append(second, replica, next).getValue().height()).isEqualTo(13);
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void refusesBlocksThatDoNotFollowTheHeadAndChangesNothing() throws Exception {
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(Files.createTempDirectory("replica")));
    try {
      var replica = kit.spawn(ChainReplica.create("node-1", CONSORTIUM, 100, 2));
      Block genesis = Block.genesis(CONSORTIUM);
      Block one = Block.next(genesis, List.of("a"), "node-1", 1);

      Block skipping = Block.next(one, List.of("b"), "node-1", 2);
      assertThat(append(kit, replica, skipping).getError().getMessage()).contains("expected height 1");

      Block foreign = Block.next(Block.genesis("someone else"), List.of("a"), "node-1", 1);
      assertThat(append(kit, replica, foreign).getError().getMessage()).contains("does not link");
      assertThat(head(kit, replica).height()).isZero();

      assertThat(append(kit, replica, one).isSuccess()).isTrue();
      assertThat(append(kit, replica, one).getValue().height()).as("a retried block is acknowledged again").isEqualTo(1);
      Block rival = Block.next(genesis, List.of("rival"), "node-2", 1);
      assertThat(append(kit, replica, rival).getError().getMessage()).contains("already holds a different block");
      assertThat(head(kit, replica).hash()).isEqualTo(one.hash().hex());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
