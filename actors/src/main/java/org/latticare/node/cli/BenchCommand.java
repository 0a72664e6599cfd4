package org.latticare.node.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.latticare.cluster.tls.TlsSettings;
import org.latticare.node.bench.ApiBenchmark;
import org.latticare.node.bench.CatchUpBenchmark;
import org.latticare.node.bench.HeapBenchmark;
import org.latticare.node.bench.IdentityBenchmark;
import org.latticare.node.bench.LedgerBenchmark;
import org.latticare.node.bench.RecordBenchmark;
import org.latticare.node.bench.ReplayBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latticare bench}: the project's benchmarks that need a running consortium or a journal. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: 'ledger' (committed tx/s and latency on the embedded consortium), 'replay'"
        + " (recovery time of a replica's journal with and without snapshots), 'catch-up' (an empty replica catching"
        + " up from a peer through replica sync), 'api' (signed requests/s through"
        + " the HTTP front), 'records' (large records up and down), 'identity' (identity proofs through the ring),"
        + " 'heap' (a replica's heap as its chain grows).",
    subcommands = {BenchCommand.Ledger.class, BenchCommand.Replay.class, BenchCommand.CatchUp.class,
        BenchCommand.Api.class,
        BenchCommand.Records.class, BenchCommand.Identity.class, BenchCommand.Heap.class})
final class BenchCommand {

  @Command(name = "ledger", mixinStandardHelpOptions = true,
      description = "Committed transactions per second and commit latency (p50/p99) on an embedded consortium.")
  static final class Ledger implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--transactions", defaultValue = "20000") int transactions;
    @Option(names = "--warmup", defaultValue = "4000") int warmup;
    @Option(names = "--in-flight", defaultValue = "2000") int inFlight;
    @Option(names = "--max-block", defaultValue = "500", description = "producer.max-transactions") int maxBlock;
    @Option(names = "--profile", description = "share the CPU among the pipeline's steps from a flight recording of"
        + " the measured run (which slows it down: read the steps as shares)") boolean profile;
    @Option(names = "--jfr", description = "with --profile: keep the recording in this file (jfr print reads it)")
    Path recording;
    @Option(names = "--artery-transport", defaultValue = "tls-tcp",
        description = "between the nodes: tls-tcp (as 'up' runs them) or tcp") String transport;

    @Override
    public Integer call() throws Exception {
      System.out.print(LedgerBenchmark.run(nodes, transactions, warmup, inFlight, maxBlock, profile || recording != null,
          recording, transport).table());
      return 0;
    }
  }

  @Command(name = "api", mixinStandardHelpOptions = true,
      description = "Signed requests per second and latency (p50/p99) through the HTTP front on loopback, for a"
          + " patient view and a submission, against the bound the request-signature verification sets.")
  static final class Api implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--views", defaultValue = "20000") int views;
    @Option(names = "--submissions", defaultValue = "8000") int submissions;
    @Option(names = "--reads", defaultValue = "2000", description = "Record reads (each commits its log entry)") int reads;
    @Option(names = "--anchors", defaultValue = "500", description = "Record anchors (records stored beforehand)") int anchors;
    @Option(names = "--in-flight", defaultValue = "64") int inFlight;

    @Override
    public Integer call() throws Exception {
      System.out.print(ApiBenchmark.run(nodes, views, submissions, reads, anchors, inFlight).table());
      return 0;
    }
  }

  @Command(name = "records", mixinStandardHelpOptions = true,
      description = "Upload and download of a large record through the front, against plain AES-256-GCM on this machine.")
  static final class Records implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--megabytes", defaultValue = "50") int megabytes;
    @Option(names = "--rounds", defaultValue = "3") int rounds;

    @Override
    public Integer call() throws Exception {
      System.out.print(RecordBenchmark.run(nodes, megabytes, rounds).table());
      return 0;
    }
  }

  @Command(name = "identity", mixinStandardHelpOptions = true,
      description = "Identity proofs per second and latency (p50/p99) through the ring of verifier actors, for each"
          + " ring size, with the bare ring pass, the hop latency and the CPU per proof measured in the same run.")
  static final class Identity implements Callable<Integer> {
    @Option(names = "--rings", defaultValue = "3,5,7", split = ",") List<Integer> rings;
    @Option(names = "--proofs", defaultValue = "400") int proofs;
    @Option(names = "--in-flight", defaultValue = "32") int inFlight;
    @Option(names = "--solo", defaultValue = "50", description = "Proofs one at a time (as many again to warm up)")
    int solo;
    @Option(names = "--passes", defaultValue = "400", description = "Bare ring passes") int passes;

    @Override
    public Integer call() throws Exception {
      System.out.print(IdentityBenchmark.run(rings, proofs, inFlight, solo, passes).table());
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Writes a chain of N one-transaction blocks to a replica, then times its recovery: with snapshots"
          + " and chain index, without snapshots, and with the chain index lost.")
  static final class Replay implements Callable<Integer> {
    @Option(names = "--blocks", defaultValue = "100000") int blocks;
    @Option(names = "--runs", defaultValue = "3", description = "Recoveries of each kind (the median is reported)")
    int runs;

    @Override
    public Integer call() throws Exception {
      System.out.print(ReplayBenchmark.run(blocks, runs));
      return 0;
    }
  }

  @Command(name = "catch-up", mixinStandardHelpOptions = true,
      description = "Writes a chain of N blocks to one node's journal, then times an empty second node catching up"
          + " from it through its replica sync (fetching, full validation, persisting), both nodes in this JVM.")
  static final class CatchUp implements Callable<Integer> {
    @Option(names = "--blocks", defaultValue = "10000") int blocks;
    @Option(names = "--tx-per-block", defaultValue = "10",
        description = "Transactions per block (the producer cuts at 500 under saturation, 1-3 at tens of tx/s)")
    int perBlock;
    @Option(names = "--runs", defaultValue = "1", description = "Catch-ups from empty (the median is reported)")
    int runs;
    @Option(names = "--artery-transport", defaultValue = TlsSettings.TLS_TRANSPORT,
        description = "between the nodes: tls-tcp (as 'up' runs them) or tcp") String transport;

    @Override
    public Integer call() throws Exception {
      System.out.print(CatchUpBenchmark.run(blocks, perBlock, runs, transport));
      return 0;
    }
  }

  @Command(name = "heap", mixinStandardHelpOptions = true,
      description = "Appends signed transactions to a replica on LevelDB and reports its used heap after GC and its"
          + " newest snapshot's size at each checkpoint.")
  static final class Heap implements Callable<Integer> {
    @Option(names = "--transactions", defaultValue = "100000,1000000", split = ",",
        description = "Checkpoints: committed transactions at which to measure") List<Integer> transactions;
    @Option(names = "--block", defaultValue = "500", description = "Transactions per block") int block;

    @Override
    public Integer call() throws Exception {
      System.out.print(HeapBenchmark.run(transactions, block));
      return 0;
    }
  }
}
