package org.latticare.ledger.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Fixtures;
import org.latticare.ledger.MerkleTree;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.InMemoryChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.rules.PatientChange;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.ledger.store.ChainTruncation;
import org.latticare.ledger.tx.TxBody;

class ChainReplicaTest {

  private static final Block GENESIS = Fixtures.genesis();

  private static Config nodeConfig(Path dataDir) {
    return LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dataDir.toString(),
        "akka.actor.provider", "local"));
  }

  private static ActorRef<ChainReplica.Command> replica(ActorTestKit kit, int snapshotEvery) {
    return kit.spawn(ChainReplica.create("node-1", GENESIS, snapshotEvery, 2, ForkJoinPool.commonPool()));
  }

  private static ChainReplica.Head head(ActorTestKit kit, ActorRef<ChainReplica.Command> replica) {
    TestProbe<ChainReplica.Head> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.GetHead(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(20));
  }

  private static StatusReply<ChainReplica.Appended> append(ActorTestKit kit, ActorRef<ChainReplica.Command> replica,
      Block block) {
    TestProbe<StatusReply<ChainReplica.Appended>> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.AppendBlock(block.encode(), probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(20));
  }

  private static Block blockAt(ActorTestKit kit, ActorRef<ChainReplica.Command> replica, long height) {
    TestProbe<StatusReply<byte[]>> probe = kit.createTestProbe();
    replica.tell(new ChainReplica.GetBlock(height, probe.getRef()));
    return Block.decode(probe.receiveMessage(Duration.ofSeconds(20)).getValue());
  }

  private static Block next(Block previous, Transaction... txs) {
    return Block.produce(previous, List.of(txs), "node-1", Fixtures.nodeKey("node-1"), 1_700_000_000_000L + previous.height());
  }

  /** Enrols a patient and anchors one record per block after the first: 1 + blocks transactions. */
  private static List<Block> chain(int blocks) {
    List<Block> chain = new ArrayList<>();
    chain.add(next(GENESIS, Fixtures.tx(Fixtures.ADMIN, "admin", 0,
        new TxBody.PatientEnrolled(Fixtures.PATIENT_ID, new byte[] {1}, Sha3Hash.ZERO))));
    for (int i = 1; i < blocks; i++) {
      chain.add(next(chain.get(i - 1), Fixtures.tx(Fixtures.ADMIN, "admin", i,
          new TxBody.RecordAnchored("r-" + i, Fixtures.PATIENT_ID, Sha3Hash.ZERO, i, "store", new byte[0]))));
    }
    return chain;
  }

  @Test
  void recoversEveryBlockThroughASnapshotAndServesOldOnesFromTheJournal() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    List<Block> chain = chain(300);
    ActorTestKit first = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(first, 100);
      assertThat(head(first, replica).hash()).isEqualTo(GENESIS.hash().hex());
      for (Block block : chain) {
        assertThat(append(first, replica, block).isSuccess()).as("block %d", block.height()).isTrue();
      }
    } finally {
      first.shutdownTestKit();
    }
    assertThat(Files.list(dir.resolve("snapshots")).count()).isPositive();

    ActorTestKit second = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(second, 100);
      ChainReplica.Head recovered = head(second, replica);
      assertThat(recovered.height()).isEqualTo(300);
      assertThat(recovered.hash()).isEqualTo(chain.get(299).hash().hex());
      assertThat(blockAt(second, replica, 5)).as("older than the blocks kept in memory").isEqualTo(chain.get(4));
      assertThat(blockAt(second, replica, 290)).isEqualTo(chain.get(289));

      Transaction anchored = chain.get(9).transactions().get(0);
      TestProbe<StatusReply<ChainReplica.TransactionProof>> proofProbe = second.createTestProbe();
      replica.tell(new ChainReplica.GetTransaction(anchored.hash().hex(), proofProbe.getRef()));
      ChainReplica.TransactionProof proof = proofProbe.receiveMessage(Duration.ofSeconds(20)).getValue();
      assertThat(proof.height()).isEqualTo(10);
      List<MerkleTree.Step> steps = proof.proof().stream()
          .map(s -> new MerkleTree.Step(Sha3Hash.fromHex(s.sibling()), s.siblingOnLeft())).toList();
      assertThat(MerkleTree.verify(MerkleTree.leaf(proof.transaction()), steps, Sha3Hash.fromHex(proof.merkleRoot())))
          .isTrue();

      TestProbe<ChainReplica.PatientTransactions> index = second.createTestProbe();
      replica.tell(new ChainReplica.GetPatientTransactions(Fixtures.PATIENT_ID, index.getRef()));
      assertThat(index.receiveMessage().transactionHashes()).hasSize(300);

      Block after = next(chain.get(299), Fixtures.tx(Fixtures.ADMIN, "admin", 1000,
          new TxBody.RecordErased("r-3")));
      assertThat(append(second, replica, after).getValue().height()).isEqualTo(301);
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void subscribersGetEachPersistedBlockWithWhatItChangesForEachPatient() throws Exception {
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(Files.createTempDirectory("replica")));
    try {
      var replica = replica(kit, 100);
      TestProbe<ChainReplica.BlockCommitted> subscriber = kit.createTestProbe();
      replica.tell(new ChainReplica.Subscribe(subscriber.getRef()));
      List<Block> chain = chain(2);
      Block unrelated = next(chain.get(1), Fixtures.tx(Fixtures.ADMIN, "admin", 50, new TxBody.IdentityEnrolled(
          new TxBody.Identity("dr-x", "clinician", "hospital-1", Fixtures.key("dr-x").publicKey()))));
      Block granted = next(unrelated, Fixtures.tx(Fixtures.ADMIN, "admin", 51,
          new TxBody.AccessGranted("r-1", "researcher", "study", 1_800_000_000_000L, new byte[0])));
      for (Block block : List.of(chain.get(0), chain.get(1), unrelated, granted)) {
        assertThat(append(kit, replica, block).isSuccess()).isTrue();
      }
      ChainReplica.BlockCommitted enrolled = subscriber.receiveMessage(Duration.ofSeconds(20));
      assertThat(enrolled.height()).isEqualTo(1);
      assertThat(enrolled.patients()).singleElement().satisfies(u -> {
        assertThat(u.changed().organisation()).isEqualTo("hospital-1");
        assertThat(u.changed().records()).isEmpty();
        assertThat(u.sequence()).isEqualTo(1);
      });
      PatientChange anchored = subscriber.receiveMessage().patients().get(0);
      assertThat(anchored.changed().records()).hasSize(1);
      assertThat(anchored.sequence()).isEqualTo(2);
      ChainReplica.BlockCommitted none = subscriber.receiveMessage();
      assertThat(none.height()).isEqualTo(3);
      assertThat(none.patients()).isEmpty();
      ChainReplica.BlockCommitted grant = subscriber.receiveMessage();
      assertThat(grant.timeMillis()).isEqualTo(granted.header().timestampMillis());
      PatientChange update = grant.patients().get(0);
      assertThat(update.sequence()).isEqualTo(3);
      assertThat(update.changed().record("r-1").orElseThrow().grants()).singleElement()
          .satisfies(g -> assertThat(g.grantee()).isEqualTo("researcher"));
      assertThat(update.transactions()).singleElement().satisfies(t -> {
        assertThat(t.grantee()).isEqualTo("researcher");
        assertThat(t.notAfterMillis()).isEqualTo(1_800_000_000_000L);
        assertThat(t.hash()).isEqualTo(granted.transactions().get(0).hash().hex());
      });

      TestProbe<ChainReplica.PatientAccessAt> access = kit.createTestProbe();
      replica.tell(new ChainReplica.GetPatientAccess(Fixtures.PATIENT_ID, access.getRef()));
      ChainReplica.PatientAccessAt at = access.receiveMessage();
      assertThat(at.height()).isEqualTo(4);
      assertThat(at.sequence()).isEqualTo(3);
      assertThat(at.access()).isEqualTo(update.changed()); // its one record is the one the grant touched

      replica.tell(new ChainReplica.Unsubscribe(subscriber.getRef()));
      assertThat(append(kit, replica, next(granted, Fixtures.tx(Fixtures.ADMIN, "admin", 52,
          new TxBody.RecordErased("r-1")))).isSuccess()).isTrue();
      subscriber.expectNoMessage(Duration.ofMillis(200));
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void refusesInvalidBlocksAndChangesNothing() throws Exception {
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(Files.createTempDirectory("replica")));
    try {
      var replica = replica(kit, 100);
      Block one = chain(1).get(0);
      Block forged = Block.produce(GENESIS, one.transactions(), "node-1", Fixtures.OUTSIDER, 1);
      assertThat(append(kit, replica, forged).getError().getMessage()).contains("producer signature");
      byte[] garbage = "not a block".getBytes(StandardCharsets.UTF_8);
      TestProbe<StatusReply<ChainReplica.Appended>> probe = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(garbage, probe.getRef()));
      assertThat(probe.receiveMessage().getError().getMessage()).contains("malformed block");
      assertThat(head(kit, replica).height()).isZero();

      assertThat(append(kit, replica, one).isSuccess()).isTrue();
      assertThat(append(kit, replica, one).getValue().height()).as("a retried block is acknowledged again").isEqualTo(1);
      Block rival = Block.produce(GENESIS, List.of(), "node-2", Fixtures.nodeKey("node-2"), 5);
      assertThat(append(kit, replica, rival).getError().getMessage()).contains("already holds another block");
      assertThat(head(kit, replica).hash()).isEqualTo(one.hash().hex());
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** What a producer with a block in flight relies on: a batch prepared right behind that block sees it. */
  @Test
  void aBatchPreparedBehindABlockStillBeingAppendedIsCheckedOnTopOfIt() throws Exception {
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(Files.createTempDirectory("replica")));
    try {
      var replica = replica(kit, 100);
      assertThat(head(kit, replica).height()).isZero();
      Block enrolment = chain(1).get(0);
      Transaction record = Fixtures.tx(Fixtures.ADMIN, "admin", 1,
          new TxBody.RecordAnchored("r-1", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "store", new byte[0]));
      Transaction replayedNonce = Fixtures.tx(Fixtures.ADMIN, "admin", 0,
          new TxBody.RecordAnchored("r-2", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "chain", new byte[] {2}));
      TestProbe<StatusReply<ChainReplica.Appended>> appended = kit.createTestProbe();
      TestProbe<ChainReplica.Prepared> prepared = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(enrolment.encode(), appended.getRef()));
      replica.tell(new ChainReplica.PrepareBlock(List.of(record.encode(), replayedNonce.encode()), 1_700_000_000_000L, prepared.getRef()));

      ChainReplica.Prepared batch = prepared.receiveMessage(Duration.ofSeconds(20));
      assertThat(appended.receiveMessage(Duration.ofSeconds(20)).isSuccess()).isTrue();
      assertThat(BlockHeader.decode(batch.headHeader())).isEqualTo(enrolment.header());
      assertThat(batch.accepted()).as("the record (position 0) needs the patient enrolled in the block ahead")
          .containsExactly(0);
      assertThat(batch.refused()).singleElement()
          .satisfies(r -> assertThat(r.position()).isEqualTo(1))
          .satisfies(r -> assertThat(r.rejection().code()).isEqualTo(org.latticare.ledger.rules.Rejection.Code.NONCE_REPLAYED));
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aTamperedJournalIsDetectedAtRecoveryAndTheFirstBadBlockNamed() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    List<Block> chain = chain(6);
    ActorTestKit first = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(first, 1000);
      for (Block block : chain) {
        assertThat(append(first, replica, block).isSuccess()).isTrue();
      }
    } finally {
      first.shutdownTestKit();
    }
    // Rewrite record id "r-4" (in block 5) to "r-9" inside the journal's stored event, keeping its length.
    int changed = rewriteJournal(dir.resolve("journal").toFile(), "r-4", "r-9");
    assertThat(changed).isEqualTo(1);

    ActorTestKit second = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      expectStopLogging(second, LoggingTestKit.error("refuses to start").withMessageContains("block 5"),
          () -> replica(second, 1000));
    } finally {
      second.shutdownTestKit();
    }
  }

  /** Starts a replica that recovers, logs {@code error} and stops. */
  private static void expectStopLogging(ActorTestKit kit, LoggingTestKit error,
      Supplier<ActorRef<ChainReplica.Command>> start) {
    error.expect(kit.system(), () -> {
      var replica = start.get();
      TestProbe<ChainReplica.Head> probe = kit.createTestProbe();
      replica.tell(new ChainReplica.GetHead(probe.getRef()));
      probe.expectTerminated(replica, Duration.ofSeconds(30));
      return null;
    });
  }

  private static ActorRef<ChainReplica.Command> replica(ActorTestKit kit, int snapshotEvery, ChainIndex index) {
    return kit.spawn(ChainReplica.create("node-1", GENESIS, snapshotEvery, 2, ForkJoinPool.commonPool(),
        VerifiedSignatures.NONE, index));
  }

  @Test
  void aCrashAfterTheIndexWasWrittenAndBeforeASnapshotRecoversFromTheSnapshotWithoutCorruption() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    List<Block> chain = chain(250);
    try (ChainIndex index = LevelDbChainIndex.open(dir.resolve("chain-index"))) {
      ActorTestKit first = ActorTestKit.create("replica", nodeConfig(dir));
      try {
        var replica = replica(first, 100, index);
        for (Block block : chain) {
          assertThat(append(first, replica, block).isSuccess()).as("block %d", block.height()).isTrue();
        }
      } finally {
        first.shutdownTestKit();
      }
      // the journal and the index reach 250, the last snapshot 199: blocks 200..250 are replayed over an index
      // that already holds them. Block 5 is altered to show that recovery starts from the snapshot.
      assertThat(index.height()).isEqualTo(250);
      assertThat(rewriteJournal(dir.resolve("journal").toFile(), "r-4", "r-9")).isEqualTo(1);

      ActorTestKit second = ActorTestKit.create("replica", nodeConfig(dir));
      try {
        var replica = replica(second, 100, index);
        assertThat(head(second, replica).hash()).isEqualTo(chain.get(249).hash().hex());
        Transaction late = chain.get(219).transactions().get(0);
        TestProbe<StatusReply<ChainReplica.TransactionProof>> proof = second.createTestProbe();
        replica.tell(new ChainReplica.GetTransaction(late.hash().hex(), proof.getRef()));
        assertThat(proof.receiveMessage(Duration.ofSeconds(20)).getValue().height()).isEqualTo(220);
        Block replay = next(chain.get(249), Fixtures.tx(Fixtures.ADMIN, "admin", 229, new TxBody.RecordErased("r-3")));
        assertThat(append(second, replica, replay).getError().getMessage()).contains("replay");
        Block fresh = next(chain.get(249), Fixtures.tx(Fixtures.ADMIN, "admin", 1000, new TxBody.RecordErased("r-3")));
        assertThat(append(second, replica, fresh).getValue().height()).isEqualTo(251);
      } finally {
        second.shutdownTestKit();
      }
    }

    // an empty index (lost, or new after an upgrade) has reached no snapshot: everything is replayed
    ActorTestKit third = ActorTestKit.create("replica", nodeConfig(dir));
    try (ChainIndex empty = LevelDbChainIndex.open(dir.resolve("another-index"))) {
      expectStopLogging(third, LoggingTestKit.error("refuses to start").withMessageContains("block 5"),
          () -> replica(third, 100, empty));
    } finally {
      third.shutdownTestKit();
    }
  }

  @Test
  void anIndexAheadOfTheJournalIsClearedAndBuiltAgainByTheRestart() throws Exception {
    Path longer = Files.createTempDirectory("replica");
    Path shorter = Files.createTempDirectory("replica");
    try (ChainIndex index = LevelDbChainIndex.open(longer.resolve("chain-index"))) {
      for (var run : List.of(new Object[] {longer, 10, index}, new Object[] {shorter, 6, new InMemoryChainIndex()})) {
        ActorTestKit kit = ActorTestKit.create("replica", nodeConfig((Path) run[0]));
        try {
          var replica = replica(kit, 1000, (ChainIndex) run[2]);
          for (Block block : chain((int) run[1])) {
            assertThat(append(kit, replica, block).isSuccess()).isTrue();
          }
        } finally {
          kit.shutdownTestKit();
        }
      }
      assertThat(index.height()).isEqualTo(10);

      ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(shorter));
      try {
        expectStopLogging(kit, LoggingTestKit.error("beyond the journal's 6"), () -> replica(kit, 1000, index));
        assertThat(index.height()).isEqualTo(ChainIndex.EMPTY);
        var restarted = replica(kit, 1000, index);
        assertThat(head(kit, restarted).height()).isEqualTo(6);
        assertThat(index.height()).isEqualTo(6);
      } finally {
        kit.shutdownTestKit();
      }
    }
  }

  @Test
  void aBlockAheadOfTheHeadIsHeldReportedAndAppendedOnceTheGapCloses() throws Exception {
    Path dir = Files.createTempDirectory("replica-ahead");
    List<Block> chain = chain(5);
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(kit, 100);
      TestProbe<ChainReplica.Behind> gaps = kit.createTestProbe();
      replica.tell(new ChainReplica.ListenForGaps(gaps.getRef()));
      assertThat(append(kit, replica, chain.get(0)).isSuccess()).isTrue();

      TestProbe<StatusReply<ChainReplica.Appended>> third = kit.createTestProbe();
      TestProbe<StatusReply<ChainReplica.Appended>> fourth = kit.createTestProbe();
      TestProbe<StatusReply<ChainReplica.Appended>> fourthAgain = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(chain.get(3).encode(), fourth.getRef()));
      replica.tell(new ChainReplica.AppendBlock(chain.get(2).encode(), third.getRef()));
      replica.tell(new ChainReplica.AppendBlock(chain.get(3).encode(), fourthAgain.getRef()));
      ChainReplica.Behind behind = gaps.receiveMessage(Duration.ofSeconds(10));
      assertThat(behind.height()).isEqualTo(1);
      assertThat(behind.aheadHeight()).isEqualTo(4);
      third.expectNoMessage(Duration.ofMillis(300));
      assertThat(head(kit, replica).height()).as("held, not appended, while block 2 is missing").isEqualTo(1);

      assertThat(append(kit, replica, chain.get(1)).isSuccess()).as("the missing block").isTrue();
      assertThat(third.receiveMessage(Duration.ofSeconds(10)).getValue().height()).isEqualTo(3);
      assertThat(fourth.receiveMessage(Duration.ofSeconds(10)).getValue().height()).isEqualTo(4);
      assertThat(fourthAgain.receiveMessage(Duration.ofSeconds(10)).getValue().hash())
          .isEqualTo(chain.get(3).hash().hex());
      assertThat(head(kit, replica).hash()).isEqualTo(chain.get(3).hash().hex());
      assertThat(append(kit, replica, chain.get(4)).getValue().height()).as("and the chain goes on").isEqualTo(5);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aForgedBlockAheadOfTheHeadIsRefusedAtOnceAndCannotTurnTheRealOneAway() throws Exception {
    Path dir = Files.createTempDirectory("replica-ahead-forged");
    List<Block> chain = chain(3);
    Block forged = Block.produce(chain.get(1), List.of(Fixtures.tx(Fixtures.ADMIN, "admin", 9,
        new TxBody.RecordAnchored("r-forged", Fixtures.PATIENT_ID, Sha3Hash.ZERO, 1, "store", new byte[0]))),
        "node-1", Fixtures.ADMIN, 1_700_000_000_000L + 2);
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(kit, 100);
      assertThat(append(kit, replica, chain.get(0)).isSuccess()).isTrue();
      StatusReply<ChainReplica.Appended> refused = append(kit, replica, forged);
      assertThat(refused.isError()).as("signed by a key that is not node-1's").isTrue();
      assertThat(refused.getError().getMessage()).contains("producer signature");
      TestProbe<StatusReply<ChainReplica.Appended>> real = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(chain.get(2).encode(), real.getRef()));
      real.expectNoMessage(Duration.ofMillis(300));
      assertThat(append(kit, replica, chain.get(1)).isSuccess()).isTrue();
      assertThat(real.receiveMessage(Duration.ofSeconds(10)).getValue().height()).isEqualTo(3);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aHeldBlockThatDoesNotFitTheChainIsRefusedWhenItsTurnComes() throws Exception {
    Path dir = Files.createTempDirectory("replica-ahead-bad");
    List<Block> chain = chain(3);
    Block stranger = next(next(GENESIS, Fixtures.tx(Fixtures.ADMIN, "admin", 7,
        new TxBody.PatientEnrolled("p-other", new byte[] {2}, Sha3Hash.ZERO))), Fixtures.tx(Fixtures.ADMIN, "admin", 8,
        new TxBody.RecordAnchored("r-other", "p-other", Sha3Hash.ZERO, 1, "store", new byte[0])));
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(kit, 100);
      TestProbe<StatusReply<ChainReplica.Appended>> held = kit.createTestProbe();
      replica.tell(new ChainReplica.AppendBlock(stranger.encode(), held.getRef()));
      held.expectNoMessage(Duration.ofMillis(300));
      assertThat(append(kit, replica, chain.get(0)).isSuccess()).isTrue();
      assertThat(held.receiveMessage(Duration.ofSeconds(10)).isError())
          .as("block 2 of another chain does not link to this block 1").isTrue();
      assertThat(append(kit, replica, chain.get(1)).getValue().height()).isEqualTo(2);
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static int rewriteJournal(File journalDir, String from, String to) throws Exception {
    byte[] needle = from.getBytes(StandardCharsets.UTF_8);
    byte[] replacement = to.getBytes(StandardCharsets.UTF_8);
    int changed = 0;
    try (DB db = JniDBFactory.factory.open(journalDir, new Options())) {
      List<byte[][]> updates = new ArrayList<>();
      try (DBIterator it = db.iterator()) {
        for (it.seekToFirst(); it.hasNext(); ) {
          var entry = it.next();
          String hex = HexFormat.of().formatHex(entry.getValue());
          String needleHex = HexFormat.of().formatHex(needle);
          if (hex.contains("00000003" + needleHex)) {
            byte[] value = HexFormat.of().parseHex(hex.replace("00000003" + needleHex,
                "00000003" + HexFormat.of().formatHex(replacement)));
            updates.add(new byte[][] {entry.getKey(), value});
          }
        }
      }
      for (byte[][] update : updates) {
        db.put(update[0], update[1]);
        changed++;
      }
    }
    return changed;
  }

  @Test
  void blocksTheConsortiumNeverCommittedAreDroppedAtTheNextStartAndTheCommittedOnesTakeTheirPlace() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    List<Block> chain = chain(120);
    String persistenceId = "ChainReplica|node-1";
    try (ChainIndex index = LevelDbChainIndex.open(dir.resolve("chain-index"))) {
      ActorTestKit first = ActorTestKit.create("replica", nodeConfig(dir));
      try {
        var replica = replica(first, 50, index);
        for (Block block : chain) {
          assertThat(append(first, replica, block).isSuccess()).as("block %d", block.height()).isTrue();
        }
        TestProbe<ChainReplica.Hashes> hashes = first.createTestProbe();
        replica.tell(new ChainReplica.GetHashes(118, 10, hashes.getRef()));
        assertThat(hashes.receiveMessage().hashes()).containsExactly(chain.get(117).hash().hex(),
            chain.get(118).hash().hex(), chain.get(119).hash().hex());
      } finally {
        first.shutdownTestKit();
      }
    }
    // snapshots at sequence numbers 50 and 100 (heights 49 and 99): the one above the kept height must go
    ChainTruncation.request(dir, new ChainTruncation.Request(persistenceId, 97, chain.get(96).hash().hex(), 120,
        "a test"), chain.subList(97, 120).stream().map(Block::encode).toList());
    assertThat(dir.resolve("dropped-blocks/block-98.bin")).hasBinaryContent(chain.get(97).encode());

    var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
        ChainTruncation.applyPending(dir, "ChainReplica|node-2", dir.resolve("journal"), dir.resolve("snapshots"),
            dir.resolve("chain-index")));
    assertThat(refused.getMessage()).startsWith("CHAIN_TRUNCATION_FOREIGN");
    assertThat(ChainTruncation.pending(dir)).as("a refused request stays for the operator").isPresent();

    ChainTruncation.Applied applied = ChainTruncation.applyPending(dir, persistenceId, dir.resolve("journal"),
        dir.resolve("snapshots"), dir.resolve("chain-index")).orElseThrow();
    assertThat(applied.journalHead()).isEqualTo(120);
    assertThat(applied.snapshotsRemoved()).isEqualTo(1);
    assertThat(ChainTruncation.pending(dir)).isEmpty();
    try (ChainIndex index = LevelDbChainIndex.open(dir.resolve("chain-index"))) {
      assertThat(index.height()).isEqualTo(97);
      assertThat(index.location(chain.get(109).transactions().get(0).hash())).as("a dropped transaction").isEmpty();
      assertThat(index.location(chain.get(49).transactions().get(0).hash())).isPresent();
    }
    assertThat(ChainTruncation.applyPending(dir, persistenceId, dir.resolve("journal"), dir.resolve("snapshots"),
        dir.resolve("chain-index"))).as("applied once").isEmpty();

    // the committed block 98 holds the same transaction as the dropped one: its nonce must not count as used
    Block committed = Block.produce(chain.get(96), chain.get(97).transactions(), "node-1", Fixtures.nodeKey("node-1"),
        chain.get(97).header().timestampMillis() + 1);
    assertThat(committed.hash()).isNotEqualTo(chain.get(97).hash());
    for (int run = 0; run < 2; run++) {
      try (ChainIndex index = LevelDbChainIndex.open(dir.resolve("chain-index"))) {
        ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(dir));
        try {
          var replica = replica(kit, 50, index);
          if (run == 0) {
            assertThat(head(kit, replica).height()).isEqualTo(97);
            assertThat(head(kit, replica).hash()).isEqualTo(chain.get(96).hash().hex());
            TestProbe<StatusReply<byte[]>> dropped = kit.createTestProbe();
            replica.tell(new ChainReplica.GetBlock(98, dropped.getRef()));
            assertThat(dropped.receiveMessage(Duration.ofSeconds(20)).isError()).as("block 98 is gone").isTrue();
            assertThat(append(kit, replica, committed).isSuccess()).isTrue();
          }
          assertThat(head(kit, replica).hash()).as("run %d", run).isEqualTo(committed.hash().hex());
          TestProbe<StatusReply<ChainReplica.TransactionProof>> proof = kit.createTestProbe();
          replica.tell(new ChainReplica.GetTransaction(committed.transactions().get(0).hash().hex(), proof.getRef()));
          assertThat(proof.receiveMessage(Duration.ofSeconds(20)).getValue().blockHash())
              .isEqualTo(committed.hash().hex());
        } finally {
          kit.shutdownTestKit();
        }
      }
    }
  }

  @Test
  void aRequestToKeepMoreThanTheJournalHoldsIsRefusedAndChangesNothing() throws Exception {
    Path dir = Files.createTempDirectory("replica");
    ActorTestKit kit = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      var replica = replica(kit, 100);
      for (Block block : chain(5)) {
        assertThat(append(kit, replica, block).isSuccess()).isTrue();
      }
    } finally {
      kit.shutdownTestKit();
    }
    ChainTruncation.request(dir, new ChainTruncation.Request("ChainReplica|node-1", 7, "ab", 9, "stale"), List.of());
    var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
        ChainTruncation.applyPending(dir, "ChainReplica|node-1", dir.resolve("journal"), dir.resolve("snapshots"),
            dir.resolve("chain-index")));
    assertThat(refused.getMessage()).startsWith("CHAIN_TRUNCATION_STALE");
    assertThat(ChainTruncation.pending(dir)).isPresent();
    ActorTestKit again = ActorTestKit.create("replica", nodeConfig(dir));
    try {
      assertThat(head(again, replica(again, 100)).height()).isEqualTo(5);
    } finally {
      again.shutdownTestKit();
    }
  }
}
