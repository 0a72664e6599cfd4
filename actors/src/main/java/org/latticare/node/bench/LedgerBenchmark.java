package org.latticare.node.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import akka.actor.typed.javadsl.AskPattern;
import org.latticare.cluster.Stages;
import org.latticare.cluster.tls.TlsSettings;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.CryptoPool;
import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.Node;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;

/**
 * Committed transactions per second and commit latency on the embedded three-node consortium, set
 * against this machine's bound for the work every transaction needs: one signature verification on
 * admission and one on each replica, so {@code cores ÷ (verifications per transaction × cost of one)}.
 */
public final class LedgerBenchmark {

  /**
   * @param cpuShare CPU the whole JVM used during the measured run, as a share of all cores
   * @param verificationShare CPU of the verification pool's threads during the run, as a share of all cores
   * @param inRunVerifyMicros the verification pool's CPU per verification during the run
   */
  public record Result(int nodes, int transactions, double seconds, double perSecond, double p50Millis,
      double p99Millis, double verifyMicros, double verificationsPerTransaction, double boundPerSecond,
      double measuredBoundPerSecond, int failed, double cpuShare, double verificationShare,
      double inRunVerifyMicros, double outsideVerificationMicrosPerNode, Map<String, Double> stepMicros,
      double unsampledMicros, double jitMicros, double gcMicros) {

    public String table() {
      return String.format("""
          | figure | value |
          |---|---|
          | nodes (one JVM), cores | %d, %d |
          | transactions committed | %d in %.2f s (%d not committed) |
          | throughput | %.0f tx/s |
          | commit latency p50 / p99 | %.1f ms / %.1f ms |
          | one ML-DSA-65 verification (median) | %.0f µs |
          | verifications per committed transaction (counted) | %.2f (admission + each replica) |
          | bound: cores ÷ (verifications × cost) | %.0f tx/s |
          | throughput ÷ bound | %.0f %% |
          | bound from verifications/s measured on all cores at once | %.0f tx/s (throughput ÷ it: %.0f %%) |
          | CPU used during the run, of all cores | %.0f %% |
          | of which the verification pool | %.0f %% (%.0f µs of CPU per verification) |
          | verifications per transaction per node | %.2f |
          | CPU per transaction per node outside the verification pool | %.0f µs |
          | of which the JIT compiler's threads, the GC's | %.0f µs, %.0f µs |
          """, nodes, Runtime.getRuntime().availableProcessors(), transactions, seconds, failed, perSecond,
          p50Millis, p99Millis, verifyMicros, verificationsPerTransaction, boundPerSecond, 100 * perSecond / boundPerSecond,
          measuredBoundPerSecond, 100 * perSecond / measuredBoundPerSecond, 100 * cpuShare, 100 * verificationShare,
          inRunVerifyMicros, verificationsPerTransaction / nodes, outsideVerificationMicrosPerNode, jitMicros / nodes,
          gcMicros / nodes)
          + (stepMicros.isEmpty() ? "" : steps());
    }

    /**
     * The CPU of a committed transaction by step, over the whole consortium and per node, from the profile (the
     * recording itself costs: the JIT works harder while it runs, so read the steps as shares, not as the cost).
     */
    private String steps() {
      StringBuilder table = new StringBuilder("""

          | step (sampled) | µs of CPU per transaction | per node |
          |---|---|---|
          """);
      double total = unsampledMicros;
      for (Map.Entry<String, Double> step : stepMicros.entrySet()) {
        total += step.getValue();
        table.append(String.format("| %s | %.1f | %.1f |%n", step.getKey(), step.getValue(), step.getValue() / nodes));
      }
      table.append(String.format("| JIT, GC, LevelDB's native threads (not sampled) | %.1f | %.1f |%n", unsampledMicros,
          unsampledMicros / nodes));
      return table.append(String.format("| all | %.1f | %.1f |%n", total, total / nodes)).toString();
    }
  }

  private LedgerBenchmark() {}

  public static Result run(int nodes, int transactions, int warmup, int inFlight, int maxBlock) throws Exception {
    return run(nodes, transactions, warmup, inFlight, maxBlock, false, null, TlsSettings.TLS_TRANSPORT);
  }

  /**
   * As above, the nodes talking over Artery's {@code transport} ({@code tls-tcp}, as {@code up} runs them, or
   * {@code tcp}); with {@code profile}, a flight recording of the measured run shares the CPU among the steps
   * ({@code keepRecording}, if not null, receives it). The recording slows the run down, by half here.
   */
  public static Result run(int nodes, int transactions, int warmup, int inFlight, int maxBlock, boolean profile,
      Path keepRecording, String transport) throws Exception {
    // The machine's verification rate is measured on an idle JVM before the consortium starts and
    // again after the run, with the consortium idle; the better of the two sets the bound.
    MlDsa65.KeyPair probeKey = MlDsa65.generate();
    Transaction probe = Transaction.sign(probeKey, "probe", 0, 0, new TxBody.RecordErased("r-probe"));
    double verifyMicrosBefore = verificationMicros(probe, probeKey.publicKey());
    double parallelBefore = parallelVerificationsPerSecond(probe, probeKey.publicKey());
    Path dataDir = Files.createTempDirectory("latticare-bench");
    Map<String, Object> config = Map.of(
        "latticare.producer.max-transactions", maxBlock,
        "akka.remote.artery.transport", transport,
        "latticare.ask-timeout", "30s");
    try (EmbeddedConsortium consortium = EmbeddedConsortium.start(nodes, dataDir, "127.0.0.1", -1, config,
        Duration.ofSeconds(60))) {
      MlDsa65.KeyPair admin = ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve("admin.key"));
      System.out.printf("signing %d transactions ...%n", warmup + transactions + 1);
      List<Transaction> txs = BenchChain.anchors(admin, "admin", warmup + transactions + 1, System.currentTimeMillis());
      submitAll(consortium, txs.subList(0, 1), 1);
      submitAll(consortium, txs.subList(1, 1 + warmup), inFlight);
      System.out.printf("measuring %d transactions, %d in flight ...%n", transactions, inFlight);
      long verificationsBefore = MlDsa65.verifications();
      var threadsBefore = Measure.threadCpu();
      long cpuBefore = Measure.processCpuNanos();
      long poolCpuBefore = cryptoPoolCpuNanos();
      Map<String, Long> jvmThreadsBefore = Measure.jvmThreadCpu();
      Map<String, Long> stepCpu;
      long start = System.nanoTime();
      long[] latencies;
      long elapsed;
      long processCpu;
      long javaThreadsCpu;
      try (PipelineProfile recording = profile ? new PipelineProfile() : null) {
        latencies = submitAll(consortium, txs.subList(1 + warmup, txs.size()), inFlight);
        elapsed = System.nanoTime() - start;
        processCpu = Measure.processCpuNanos() - cpuBefore;
        Map<Long, Long> threadCpu = cpuByThread(threadsBefore, Measure.threadCpu());
        javaThreadsCpu = threadCpu.values().stream().mapToLong(Long::longValue).sum();
        stepCpu = recording == null ? Map.of() : recording.cpuByStep(threadCpu, keepRecording);
      }
      Map<String, Long> jvmThreadsAfter = Measure.jvmThreadCpu();
      double jitMicros = (jvmThreadsAfter.getOrDefault(Measure.JIT_THREADS, 0L)
          - jvmThreadsBefore.getOrDefault(Measure.JIT_THREADS, 0L)) / 1e3 / transactions;
      double gcMicros = (jvmThreadsAfter.getOrDefault(Measure.GC_THREADS, 0L)
          - jvmThreadsBefore.getOrDefault(Measure.GC_THREADS, 0L)) / 1e3 / transactions;
      double cores = Runtime.getRuntime().availableProcessors();
      double cpuShare = processCpu / (cores * elapsed);
      long poolCpu = cryptoPoolCpuNanos() - poolCpuBefore;
      long verifications = MlDsa65.verifications() - verificationsBefore;
      double seconds = elapsed / 1e9;
      double counted = (double) verifications / transactions;
      long[] committed = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
      double verifyMicros = Math.min(verifyMicrosBefore, verificationMicros(probe, probeKey.publicKey()));
      double parallelPerSecond = Math.max(parallelBefore, parallelVerificationsPerSecond(probe, probeKey.publicKey()));
      double bound = Runtime.getRuntime().availableProcessors() / (counted * verifyMicros / 1e6);
      return new Result(nodes, committed.length, seconds, committed.length / seconds,
          Measure.percentile(committed, 0.50) / 1e6, Measure.percentile(committed, 0.99) / 1e6, verifyMicros, counted, bound,
          parallelPerSecond / counted, latencies.length - committed.length, cpuShare, poolCpu / (cores * elapsed),
          poolCpu / 1e3 / verifications, (processCpu - poolCpu) / 1e3 / transactions / nodes,
          perTransaction(stepCpu, transactions), Math.max(0, processCpu - javaThreadsCpu) / 1e3 / transactions,
          jitMicros, gcMicros);
    }
  }

  private static double verificationMicros(Transaction tx, byte[] publicKey) {
    return Measure.microsPerOperation(() -> tx.verifySignature(publicKey));
  }

  /** Verifications per second with one plain thread per core verifying at once: the median of three 3 s rounds. */
  private static double parallelVerificationsPerSecond(Transaction tx, byte[] publicKey) throws InterruptedException {
    double[] rounds = new double[3];
    for (int round = 0; round < rounds.length; round++) {
      rounds[round] = verificationsPerSecondOnAllCores(tx, publicKey, 3_000_000_000L);
    }
    return Measure.median(rounds);
  }

  private static double verificationsPerSecondOnAllCores(Transaction tx, byte[] publicKey, long nanos)
      throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long end = start + nanos;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < cores; i++) {
      Thread thread = new Thread(() -> {
        long count = 0;
        while (System.nanoTime() < end) {
          tx.verifySignature(publicKey);
          count++;
        }
        done.addAndGet(count);
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** Submits round-robin over the nodes' mempools with at most {@code inFlight} waiting; -1 for any not committed. */
  private static long[] submitAll(EmbeddedConsortium consortium, List<Transaction> txs, int inFlight) throws Exception {
    long[] latencies = new long[txs.size()];
    Semaphore window = new Semaphore(inFlight);
    List<CompletableFuture<Void>> all = new ArrayList<>(txs.size());
    AtomicInteger notCommitted = new AtomicInteger();
    for (int i = 0; i < txs.size(); i++) {
      window.acquire();
      Node node = consortium.nodes().get(i % consortium.nodes().size());
      byte[] encoded = txs.get(i).encode();
      int index = i;
      long start = System.nanoTime();
      CompletionStage<SubmitResult> result = Stages.direct(AskPattern.ask(node.refs().mempool(),
          replyTo -> new Mempool.Submit(encoded, replyTo), Duration.ofSeconds(60), node.system().scheduler()));
      all.add(result.<Void>handle((r, failure) -> {
        boolean ok = failure == null && r.outcome() == SubmitResult.Outcome.COMMITTED;
        latencies[index] = ok ? System.nanoTime() - start : -1;
        if (!ok && notCommitted.incrementAndGet() <= 3) {
          System.err.println("not committed: " + (failure != null ? failure : r.reason()));
        }
        window.release();
        return null;
      }).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    return latencies;
  }

  private static Map<String, Double> perTransaction(Map<String, Long> stepCpu, int transactions) {
    Map<String, Double> micros = new LinkedHashMap<>();
    stepCpu.forEach((step, nanos) -> micros.put(step, nanos / 1e3 / transactions));
    return micros;
  }

  /** What each Java thread used between two snapshots. */
  private static Map<Long, Long> cpuByThread(Map<Long, Map.Entry<String, Long>> before,
      Map<Long, Map.Entry<String, Long>> after) {
    Map<Long, Long> used = new HashMap<>();
    after.forEach((thread, cpu) -> {
      var earlier = before.get(thread);
      used.put(thread, cpu.getValue() - (earlier == null ? 0 : earlier.getValue()));
    });
    return used;
  }

  /** CPU time of the verification pool's threads; it verifies signatures and does little else. */
  private static long cryptoPoolCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(CryptoPool.THREAD_PREFIX))
        .mapToLong(thread -> Math.max(0, threads.getThreadCpuTime(thread.getId())))
        .sum();
  }
}
