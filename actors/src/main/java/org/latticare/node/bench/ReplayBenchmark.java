package org.latticare.node.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;

/**
 * How long a replica takes to recover a chain of N blocks (one transaction each) from LevelDB, in the three ways
 * a node restarts: with its snapshots and its chain index (derived state restored from the newest snapshot the
 * index has reached, only the blocks after it re-validated); without snapshots (every block re-validated from
 * genesis, signatures included, the index rewritten with the entries it holds); and with snapshots but a lost
 * index (the replica ignores the snapshots, since they lack what the index held, and replays from genesis,
 * building the index again). Each recovery counts the ML-DSA verifications it made, which shows how many blocks
 * it re-validated (two signatures per block here).
 */
public final class ReplayBenchmark {

  private static final int SNAPSHOT_EVERY = 1000;
  private static final long TIME = 1_700_000_000_000L;

  private ReplayBenchmark() {}

  /** One way of recovering: its times (s) and the verifications each run made. */
  private record Recoveries(double[] seconds, long[] verifications) {}

  public static String run(int blockCount, int runs) throws Exception {
    if (blockCount < 1 || runs < 1) {
      throw new IllegalArgumentException("blocks and runs must be at least 1");
    }
    Path dir = Files.createTempDirectory("latticare-replay");
    try {
      return run(dir, blockCount, runs);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static String run(Path dir, int blockCount, int runs) throws Exception {
    Block genesis = ConsortiumFiles.found("replay-bench", List.of(new ConsortiumFiles.Founder("h", "node-1",
        List.of("producer"))), List.of(new ConsortiumFiles.Client("admin", "hospital-admin", "h")), dir, dir);
    MlDsa65.KeyPair nodeKey = ConsortiumFiles.readKey(dir.resolve("node-1").resolve("node.key"));
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(dir.resolve("admin.key"));
    System.out.printf("building and signing %d blocks ...%n", blockCount);
    List<Block> chain = BenchChain.blocks(genesis, "node-1", nodeKey, BenchChain.anchors(admin, "admin", blockCount, TIME),
        1, TIME);

    System.out.println("writing them through a replica (fsync off for the write phase only) ...");
    long writeStart = System.nanoTime();
    ActorSystem<Void> writer = system(dir, false);
    ChainIndex writerIndex = LevelDbChainIndex.open(indexDir(dir));
    ActorRef<ChainReplica.Command> replica = writer.systemActorOf(replica(genesis, writerIndex), "replica",
        akka.actor.typed.Props.empty());
    for (Block block : chain) {
      BenchChain.append(writer, replica, block);
    }
    stop(writer);
    writerIndex.close();
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

    Path snapshots = dir.resolve("data").resolve("snapshots");
    System.out.println("recovering with snapshots and index ...");
    Recoveries restart = recoveries(dir, genesis, blockCount, runs, () -> {});
    // before the runs without snapshots, which delete them: this case needs them present and ignored
    System.out.println("recovering with snapshots and a lost index ...");
    Recoveries lostIndex = recoveries(dir, genesis, blockCount, runs, () -> {
      if (!hasFiles(snapshots)) {
        throw new IllegalStateException("no snapshot left to ignore: the lost-index case would measure nothing else");
      }
      deleteRecursively(indexDir(dir));
    });
    // a long recovery leaves a snapshot behind, so each run deletes them first
    System.out.println("recovering without snapshots, index intact ...");
    Recoveries noSnapshots = recoveries(dir, genesis, blockCount, runs, () -> {
      if (Files.exists(snapshots)) {
        deleteRecursively(snapshots);
      }
    });
    return String.format("""
        | recovery of %,d blocks (1 transaction each), one replica on LevelDB | median of %d | runs | ML-DSA verifications (median) |
        |---|---|---|---|
        | restart: newest snapshot (every %,d blocks) and chain index intact | %.2f s | %s | %,d |
        | no snapshots, chain index intact: replay from genesis | %.2f s | %s | %,d |
        | snapshots kept, chain index lost: snapshots ignored, replay from genesis, index rebuilt | %.2f s | %s | %,d |
        | (writing them through the replica's validation, fsync off) | %.1f s | | |
        """, blockCount, runs, SNAPSHOT_EVERY, median(restart.seconds()), times(restart), median(restart.verifications()),
        median(noSnapshots.seconds()), times(noSnapshots), median(noSnapshots.verifications()),
        median(lostIndex.seconds()), times(lostIndex), median(lostIndex.verifications()), writeSeconds);
  }

  private interface Preparation {
    void before() throws IOException;
  }

  /** Recovers the replica {@code runs} times, each after {@code preparation}, checking the height it reaches. */
  private static Recoveries recoveries(Path dir, Block genesis, int expectedHeight, int runs, Preparation preparation)
      throws Exception {
    double[] seconds = new double[runs];
    long[] verifications = new long[runs];
    for (int run = 0; run < runs; run++) {
      preparation.before();
      long verifiedBefore = MlDsa65.verifications();
      long start = System.nanoTime();
      ActorSystem<Void> system = system(dir, true);
      ChainIndex index = LevelDbChainIndex.open(indexDir(dir));
      ActorRef<ChainReplica.Command> replica = system.systemActorOf(replica(genesis, index), "replica",
          akka.actor.typed.Props.empty());
      ChainReplica.Head head = AskPattern.<ChainReplica.Command, ChainReplica.Head>ask(replica,
          ChainReplica.GetHead::new, Duration.ofMinutes(10), system.scheduler()).toCompletableFuture()
          .get(11, TimeUnit.MINUTES);
      seconds[run] = (System.nanoTime() - start) / 1e9;
      verifications[run] = MlDsa65.verifications() - verifiedBefore;
      if (head.height() != expectedHeight || index.height() != expectedHeight) {
        throw new IllegalStateException("recovered height " + head.height() + " with the index at " + index.height()
            + ", expected " + expectedHeight);
      }
      stop(system);
      index.close();
    }
    return new Recoveries(seconds, verifications);
  }

  private static String times(Recoveries recoveries) {
    return Arrays.stream(recoveries.seconds()).mapToObj(s -> String.format("%.2f", s)).toList().toString();
  }

  private static boolean hasFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.findAny().isPresent();
    }
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
    return Measure.median(values);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
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
