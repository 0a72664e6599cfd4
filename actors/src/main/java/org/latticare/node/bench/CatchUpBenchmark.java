package org.latticare.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import com.typesafe.config.Config;
import org.latticare.cluster.LatticareConfig;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.Node;
import org.latticare.node.chain.ReplicaSync;

/**
 * How long a node whose replica is empty takes to catch up with a peer that holds N blocks, as a restarted or new
 * follower does: two whole nodes of the embedded consortium (each its own ActorSystem, data directory and LevelDB
 * journal, joined over Artery on loopback), node-1 holding the chain, node-2 empty; node-2's production
 * {@link ReplicaSync} is asked to sync and answers once its replica has reached node-1's head. What that includes:
 * node-1 reading batches from its journal, Artery (and TLS) carrying them, node-2's replica validating every block
 * in full (the producer's signature and every transaction's, on the node's verification pool, and the ledger's
 * rules) and persisting it with fsync, and node-2's own subscribers hearing of each block. Both nodes share this
 * JVM's cores, so node-1's reading and sending take CPU a real follower would not pay.
 *
 * <p>The transactions are statistics to one study (about 3.5 kB each, most of it the ML-DSA signature), which no
 * patient's contract or gateway follows: what is timed is the chain's own work, not that of the services a chain
 * of patients' records would wake up on the follower as it catches up.
 *
 * <p>node-1's journal is written before the nodes start, by a replica that records the transactions as verified
 * (as the admitting node's replica does) and with fsync off: that is setup, not measured. Each run starts
 * node-2 on an empty journal, chain index and snapshot store; the ReplicaSync's own timer is set beyond the run so
 * that only the request starts the round that is timed.
 */
public final class CatchUpBenchmark {

  private static final int NODES = 2;

  private CatchUpBenchmark() {}

  /** Writes forced to the disk before each run, to show what one fsync costs at the time. */
  private static final int FSYNC_PROBES = 50;

  /**
   * One catch-up: wall time, the ML-DSA verifications made, the process's CPU during it, and one fsync's
   * latency in the follower's data directory just before.
   */
  private record Run(double seconds, long verifications, double cpuSeconds, double fsyncMillis) {}

  public static String run(int blocks, int perBlock, int runs, String transport) throws Exception {
    if (blocks < 1 || perBlock < 1 || runs < 1) {
      throw new IllegalArgumentException("blocks, transactions per block and runs must be at least 1");
    }
    Path dir = Files.createTempDirectory("latticare-catch-up");
    try {
      return run(dir, blocks, perBlock, runs, transport);
    } finally {
      ReplayBenchmark.deleteRecursively(dir);
    }
  }

  private static String run(Path dir, int blocks, int perBlock, int runs, String transport) throws Exception {
    Path genesisFile = EmbeddedConsortium.prepare(NODES, dir);
    Block genesis = ConsortiumFiles.readGenesis(genesisFile);
    MlDsa65.KeyPair producerKey = ConsortiumFiles.readKey(dir.resolve("node-1").resolve("node.key"));
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dir).resolve("admin.key"));
    long now = System.currentTimeMillis();
    System.out.printf("signing %,d transactions and %,d blocks ...%n", (long) blocks * perBlock, blocks);
    List<Transaction> transactions = BenchChain.statistics(admin, "admin",
        Math.multiplyExact(blocks, perBlock), now);
    List<Block> chain = BenchChain.blocks(genesis, EmbeddedConsortium.nodeId(0), producerKey, transactions, perBlock,
        now);
    long chainBytes = chain.stream().mapToLong(block -> block.encode().length).sum();
    System.out.println("writing them to node-1's journal ...");
    writeSource(dir.resolve(EmbeddedConsortium.nodeId(0)), genesis, chain, admin.publicKey(), perBlock);

    Map<String, Object> config = Map.of(
        "akka.remote.artery.transport", transport,
        "latticare.sync.interval", "1h",
        "akka.loglevel", "WARNING");
    Run[] measured = new Run[runs];
    for (int run = 0; run < runs; run++) {
      Path follower = dir.resolve(EmbeddedConsortium.nodeId(1));
      for (String derived : List.of("journal", "snapshots", "chain-index")) {
        if (Files.exists(follower.resolve(derived))) {
          ReplayBenchmark.deleteRecursively(follower.resolve(derived));
        }
      }
      try (EmbeddedConsortium consortium = EmbeddedConsortium.start(NODES, dir, "127.0.0.1", -1, config,
          Duration.ofSeconds(120))) {
        measured[run] = catchUp(consortium.nodes().get(1), blocks, Measure.fsyncMillis(follower, FSYNC_PROBES));
        System.out.printf("run %d: %.2f s%n", run + 1, measured[run].seconds());
      }
    }
    return table(measured, blocks, perBlock, chainBytes, transport);
  }

  /** node-1's chain, written through its replica as a node writes it (chain index included), fsync off. */
  private static void writeSource(Path dataDir, Block genesis, List<Block> chain, byte[] adminKey, int perBlock)
      throws Exception {
    Config config = LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dataDir.toString(),
        "akka.actor.provider", "local",
        "akka.persistence.journal.leveldb.fsync", "off",
        "akka.loglevel", "WARNING"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "catch-up-source", config);
    ChainIndex index = LevelDbChainIndex.open(dataDir.resolve("chain-index"));
    try {
      VerifiedSignatures verified = new VerifiedSignatures(2 * perBlock);
      // a snapshot at the last block at the latest, so that node-1 starts from it as a running node would: a short
      // chain of large blocks re-validated at start-up outlasts the node's wait for its replica (4 ask timeouts)
      int snapshotEvery = Math.min(config.getInt("latticare.chain.snapshot-every"), chain.size());
      ActorRef<ChainReplica.Command> replica = system.systemActorOf(ChainReplica.create(EmbeddedConsortium.nodeId(0),
              genesis, snapshotEvery, config.getInt("latticare.chain.keep-snapshots"), CryptoPool.shared(), verified,
              index),
          "replica", akka.actor.typed.Props.empty());
      for (Block block : chain) {
        block.transactions().forEach(tx -> verified.record(tx.hash(), adminKey));
        BenchChain.append(system, replica, block);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      index.close();
    }
  }

  private static Run catchUp(Node follower, int blocks, double fsyncMillis) throws Exception {
    ActorSystem<?> system = follower.system();
    awaitReplicas(system, Duration.ofSeconds(60));
    long verificationsBefore = MlDsa65.verifications();
    long cpuBefore = Measure.processCpuNanos();
    long start = System.nanoTime();
    ReplicaSync.Synced synced = AskPattern.<ReplicaSync.Command, ReplicaSync.Synced>ask(follower.refs().sync(),
            ReplicaSync.SyncNow::new, Duration.ofMinutes(30), system.scheduler())
        .toCompletableFuture().get(31, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (Measure.processCpuNanos() - cpuBefore) / 1e9;
    long verifications = MlDsa65.verifications() - verificationsBefore;
    if (synced.problem() != null || synced.height() != blocks) {
      throw new IllegalStateException("node-2 synced to height " + synced.height() + " of " + blocks
          + (synced.problem() == null ? "" : ": " + synced.problem()));
    }
    return new Run(seconds, verifications, cpuSeconds, fsyncMillis);
  }

  /** Until node-2's Receptionist lists both replicas: ReplicaSync fetches only from a peer it knows of. */
  private static void awaitReplicas(ActorSystem<?> system, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
              replyTo -> Receptionist.find(ChainReplica.SERVICE_KEY, replyTo), Duration.ofSeconds(5), system.scheduler())
          .toCompletableFuture().get(6, TimeUnit.SECONDS);
      if (listing.getServiceInstances(ChainReplica.SERVICE_KEY).size() == NODES) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node-2 did not see node-1's replica within " + within);
  }

  private static String table(Run[] runs, int blocks, int perBlock, long chainBytes, String transport) {
    double seconds = Measure.median(Arrays.stream(runs).mapToDouble(Run::seconds).toArray());
    double verifications = Measure.median(Arrays.stream(runs).mapToDouble(Run::verifications).toArray());
    double cpu = Measure.median(Arrays.stream(runs).mapToDouble(Run::cpuSeconds).toArray());
    double fsync = Measure.median(Arrays.stream(runs).mapToDouble(Run::fsyncMillis).toArray());
    int cores = Runtime.getRuntime().availableProcessors();
    long transactions = (long) blocks * perBlock;
    return String.format("""
        | catch-up of an empty replica through ReplicaSync: %,d blocks × %d transactions (%.1f MB), two nodes in one JVM over Artery %s | median of %d |
        |---|---|
        | time (each run) | %.2f s %s |
        | time per 10,000 blocks | %.1f s |
        | blocks/s | %.1f |
        | transactions/s | %.0f |
        | ML-DSA verifications per block (the producer's and every transaction's: %d) | %.2f |
        | CPU used, of %d cores (both nodes) | %.0f %% |
        | one fsync of 4 KiB in the data directory, before each run (the replica persists each block with one) | %.1f ms |
        """, blocks, perBlock, chainBytes / 1e6, transport, runs.length, seconds,
        Arrays.stream(runs).map(r -> String.format("%.2f", r.seconds())).toList(), seconds * 10_000 / blocks,
        blocks / seconds, transactions / seconds, perBlock + 1, verifications / blocks, cores,
        100 * cpu / (cores * seconds), fsync);
  }
}
