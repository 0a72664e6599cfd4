package org.latticare.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;

/**
 * How long a replica takes to recover a chain of N blocks (one transaction each) from LevelDB: with
 * its snapshots (derived state restored, only the blocks after the last snapshot re-validated) and
 * without (every block re-validated from genesis, signatures included).
 */
public final class ReplayBenchmark {

  private static final int SNAPSHOT_EVERY = 1000;

  private ReplayBenchmark() {}

  public static String run(int blockCount) throws Exception {
    Path dir = Files.createTempDirectory("latticare-replay");
    Block genesis = ConsortiumFiles.found("replay-bench", List.of(new ConsortiumFiles.Founder("h", "node-1",
        List.of("producer"))), List.of(new ConsortiumFiles.Client("admin", "hospital-admin", "h")), dir, dir);
    MlDsa65.KeyPair nodeKey = ConsortiumFiles.readKey(dir.resolve("node-1").resolve("node.key"));
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(dir.resolve("admin.key"));
    System.out.printf("building and signing %d blocks ...%n", blockCount);
    List<Block> chain = build(genesis, nodeKey, admin, blockCount);

    System.out.println("writing them through a replica (fsync off for the write phase only) ...");
    long writeStart = System.nanoTime();
    ActorSystem<Void> writer = system(dir, false);
    ChainIndex writerIndex = LevelDbChainIndex.open(indexDir(dir));
    ActorRef<ChainReplica.Command> replica = writer.systemActorOf(replica(genesis, writerIndex), "replica",
        akka.actor.typed.Props.empty());
    for (Block block : chain) {
      StatusReply<ChainReplica.Appended> reply = AskPattern.<ChainReplica.Command, StatusReply<ChainReplica.Appended>>ask(
              replica, replyTo -> new ChainReplica.AppendBlock(block.encode(), replyTo), Duration.ofSeconds(60),
              writer.scheduler())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (reply.isError()) {
        throw new IllegalStateException("block " + block.height() + " refused: " + reply.getError().getMessage());
      }
    }
    stop(writer);
    writerIndex.close();
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

    double[] withSnapshots = recoverTimes(dir, genesis, blockCount, 3, false);
    // A long recovery leaves a snapshot behind (seen here), so each run without starts by deleting them.
    double[] withoutSnapshots = recoverTimes(dir, genesis, blockCount, 3, true);
    return String.format("""
        | replay of %d blocks (1 transaction each) | median of 3 recoveries |
        |---|---|
        | with snapshots (every %d blocks; at most %d blocks re-validated) | %.2f s %s |
        | without snapshots (all blocks re-validated, signatures included) | %.2f s %s |
        | (writing them through the replica's validation, fsync off) | %.1f s |
        """, blockCount, SNAPSHOT_EVERY, SNAPSHOT_EVERY, median(withSnapshots), Arrays.toString(withSnapshots),
        median(withoutSnapshots), Arrays.toString(withoutSnapshots), writeSeconds);
  }

  private static List<Block> build(Block genesis, MlDsa65.KeyPair nodeKey, MlDsa65.KeyPair admin, int count) {
    List<Transaction> txs = CryptoPool.shared().submit(() -> IntStream.range(0, count).parallel().mapToObj(n -> {
      TxBody body = n == 0
          ? new TxBody.PatientEnrolled("p-1", new byte[] {1}, Sha3Hash.ZERO)
          : new TxBody.RecordAnchored("r-" + n, "p-1", Sha3Hash.ZERO, n, "cas", new byte[0]);
      return Transaction.sign(admin, "admin", n, 1_700_000_000_000L, body);
    }).toList()).join();
    List<BlockHeader> headers = new ArrayList<>(count);
    Sha3Hash previous = genesis.hash();
    for (int i = 0; i < count; i++) {
      BlockHeader header = new BlockHeader(BlockHeader.CURRENT_VERSION, i + 1, previous,
          Block.merkleRoot(List.of(txs.get(i))), 1, 1_700_000_000_000L + i, "node-1");
      headers.add(header);
      previous = header.hash();
    }
    return CryptoPool.shared().submit(() -> IntStream.range(0, count).parallel()
        .mapToObj(i -> new Block(headers.get(i), nodeKey.sign(Block.signingBytes(headers.get(i))), List.of(txs.get(i))))
        .toList()).join();
  }

  private static double[] recoverTimes(Path dir, Block genesis, int expectedHeight, int runs, boolean withoutSnapshots)
      throws Exception {
    double[] seconds = new double[runs];
    for (int run = 0; run < runs; run++) {
      Path snapshots = dir.resolve("data").resolve("snapshots");
      if (withoutSnapshots && Files.exists(snapshots)) {
        deleteRecursively(snapshots);
      }
      long start = System.nanoTime();
      ActorSystem<Void> system = system(dir, true);
      ChainIndex index = LevelDbChainIndex.open(indexDir(dir));
      ActorRef<ChainReplica.Command> replica = system.systemActorOf(replica(genesis, index), "replica",
          akka.actor.typed.Props.empty());
      ChainReplica.Head head = AskPattern.<ChainReplica.Command, ChainReplica.Head>ask(replica,
          ChainReplica.GetHead::new, Duration.ofMinutes(10), system.scheduler()).toCompletableFuture().get();
      seconds[run] = (System.nanoTime() - start) / 1e9;
      if (head.height() != expectedHeight) {
        throw new IllegalStateException("recovered height " + head.height() + ", expected " + expectedHeight);
      }
      stop(system);
      index.close();
    }
    return seconds;
  }

  /** A replica over a LevelDB chain index, as a node runs it. */
  static Behavior<ChainReplica.Command> replica(Block genesis, ChainIndex index) {
    return ChainReplica.create("node-1", genesis, SNAPSHOT_EVERY, 2, CryptoPool.shared(), VerifiedSignatures.NONE,
        index);
  }

  static Path indexDir(Path dir) {
    return dir.resolve("data").resolve("chain-index");
  }

  private static ActorSystem<Void> system(Path dir, boolean fsync) {
    return ActorSystem.create(Behaviors.empty(), "replay", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dir.resolve("data").toString(),
        "akka.actor.provider", "local",
        "akka.persistence.journal.leveldb.fsync", fsync ? "on" : "off",
        "akka.loglevel", "WARNING")));
  }

  private static void stop(ActorSystem<?> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
