package org.latticare.node.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import org.latticare.cluster.LatticareConfig;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;

/**
 * The heap a replica needs as its chain grows: transactions (one hospital admin's, distinct nonces, each a
 * statistic submitted to one study, so that nothing but nonces and locations grows with their number)
 * appended in blocks through a replica on LevelDB, as a node runs it (chain index included, journal fsync off:
 * disk speed is not measured here); at each checkpoint, the heap used after forced collections (median of
 * several readings) and the size of the newest snapshot.
 *
 * <p>Signing and verifying 10^6 ML-DSA signatures would take most of the run on two cores and measure nothing
 * here: the transactions after the first are copies of one signed template with their nonce and time
 * rewritten (same size, a signature that no longer verifies), each recorded as verified beforehand, as the
 * admitting node's mempool records what it verified, so the replica does not verify them.
 */
public final class HeapBenchmark {

  private static final int SNAPSHOT_EVERY = 100;
  private static final int READINGS = 5;

  private HeapBenchmark() {}

  /** One checkpoint: transactions committed, heap used (MiB), the newest snapshot's size (KiB), seconds so far. */
  public record Reading(long transactions, double heapMiB, double[] heapReadings, long snapshotKiB, double seconds) {}

  public static String run(List<Integer> checkpoints, int blockSize) throws Exception {
    TreeSet<Integer> marks = new TreeSet<>(checkpoints);
    Path dir = Files.createTempDirectory("latticare-heap");
    Block genesis = ConsortiumFiles.found("heap-bench", List.of(new ConsortiumFiles.Founder("h", "node-1",
        List.of("producer"))), List.of(new ConsortiumFiles.Client("admin", "hospital-admin", "h")), dir, dir);
    MlDsa65.KeyPair nodeKey = ConsortiumFiles.readKey(dir.resolve("node-1").resolve("node.key"));
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(dir.resolve("admin.key"));

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "heap", LatticareConfig.load("local", Map.of(
        "latticare.data-dir", dir.resolve("data").toString(),
        "akka.actor.provider", "local",
        "akka.persistence.journal.leveldb.fsync", "off",
        "akka.loglevel", "WARNING")));
    ChainIndex index = LevelDbChainIndex.open(dir.resolve("data").resolve("chain-index"));
    List<Reading> readings = new ArrayList<>();
    long start = System.nanoTime();
    try {
      VerifiedSignatures verified = new VerifiedSignatures(4 * blockSize);
      ActorRef<ChainReplica.Command> replica = system.systemActorOf(ChainReplica.create("node-1", genesis,
              SNAPSHOT_EVERY, 2, CryptoPool.shared(), verified, index),
          "replica", akka.actor.typed.Props.empty());
      Template template = new Template(admin);
      Block head = genesis;
      readings.add(reading(0, dir, start));
      long committed = 0;
      int last = marks.last();
      while (committed < last) {
        long from = committed;
        int size = (int) Math.min(blockSize, marks.ceiling((int) committed + 1) - committed);
        long now = System.currentTimeMillis();
        List<Transaction> txs = LongStream.range(from, from + size).mapToObj(n -> n == 0
                ? Transaction.sign(admin, "admin", n, now, new TxBody.StudyCreated("s-heap", "heap benchmark", 0,
                    new byte[0]))
                : template.at(n, now))
            .toList();
        txs.forEach(tx -> verified.record(tx.hash(), admin.publicKey()));
        head = Block.produce(head, txs, "node-1", nodeKey, Math.max(now, head.header().timestampMillis()));
        BenchChain.append(system, replica, head);
        committed += size;
        if (marks.contains((int) committed)) {
          readings.add(reading(committed, dir, start));
          System.out.printf("%,d transactions: %.1f MiB used heap%n", committed, readings.get(readings.size() - 1).heapMiB());
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      index.close();
      ReplayBenchmark.deleteRecursively(dir);
    }
    return table(readings, blockSize);
  }

  /** A signed statistic whose encoding is copied with another nonce and time (they follow the submitter in it). */
  private static final class Template {
    private static final long NONCE = 0x3c3c_3c3c_3c3c_3c3cL;
    private static final long TIME = 0x0c3c_3c3c_3c3c_3c3dL;
    private final byte[] encoding;
    private final int at;

    Template(MlDsa65.KeyPair admin) {
      encoding = Transaction.sign(admin, "admin", NONCE, TIME, new TxBody.StatisticSubmitted("s-heap", "m", 1,
          new byte[0])).encode();
      byte[] pattern = ByteBuffer.allocate(16).putLong(NONCE).putLong(TIME).array();
      at = indexOf(encoding, pattern);
    }

    Transaction at(long nonce, long timeMillis) {
      byte[] copy = encoding.clone();
      ByteBuffer.wrap(copy, at, 16).putLong(nonce).putLong(timeMillis);
      return Transaction.decode(copy);
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
      for (int i = 0; i + pattern.length <= bytes.length; i++) {
        if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
          return i;
        }
      }
      throw new IllegalStateException("the template's nonce and time are not where the encoding keeps them");
    }
  }

  /** Heap used after collections, several times; the newest snapshot's size (one is written every 100 blocks). */
  private static Reading reading(long transactions, Path dir, long start) throws Exception {
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] heap = new double[READINGS];
    for (int i = 0; i < READINGS; i++) {
      for (int gc = 0; gc < 3; gc++) {
        System.gc();
        Thread.sleep(100);
      }
      heap[i] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
    double[] sorted = heap.clone();
    Arrays.sort(sorted);
    return new Reading(transactions, sorted[READINGS / 2], heap, newestSnapshotBytes(dir) / 1024, seconds);
  }

  private static long newestSnapshotBytes(Path dir) throws IOException {
    Path snapshots = dir.resolve("data").resolve("snapshots");
    if (!Files.isDirectory(snapshots)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(snapshots)) {
      return files.max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
          .map(p -> p.toFile().length()).orElse(0L);
    }
  }

  private static String table(List<Reading> readings, int blockSize) {
    StringBuilder out = new StringBuilder(String.format("""
        | committed transactions (blocks of %d) | used heap after GC, median of %d | readings (MiB) | newest snapshot | elapsed |
        |---|---|---|---|---|
        """, blockSize, READINGS));
    for (Reading r : readings) {
      out.append(String.format("| %,d | %.1f MiB | %s | %,d KiB | %.0f s |%n", r.transactions(), r.heapMiB(),
          Arrays.stream(r.heapReadings()).mapToObj(v -> String.format("%.1f", v)).toList(), r.snapshotKiB(),
          r.seconds()));
    }
    return out.toString();
  }
}
