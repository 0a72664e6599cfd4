package org.latticare.node.cli;

import java.util.concurrent.Callable;

import org.latticare.node.bench.ApiBenchmark;
import org.latticare.node.bench.LedgerBenchmark;
import org.latticare.node.bench.RecordBenchmark;
import org.latticare.node.bench.ReplayBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latticare bench}: the project's benchmarks that need a running consortium or a journal. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: 'ledger' (committed tx/s and latency on the embedded consortium), 'replay'"
        + " (recovery time of a replica's journal with and without snapshots), 'api' (signed requests/s through"
        + " the HTTP front).",
    subcommands = {BenchCommand.Ledger.class, BenchCommand.Replay.class, BenchCommand.Api.class,
        BenchCommand.Records.class})
final class BenchCommand {

  @Command(name = "ledger", mixinStandardHelpOptions = true,
      description = "Committed transactions per second and commit latency (p50/p99) on an embedded consortium.")
  static final class Ledger implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--transactions", defaultValue = "20000") int transactions;
    @Option(names = "--warmup", defaultValue = "4000") int warmup;
    @Option(names = "--in-flight", defaultValue = "2000") int inFlight;
    @Option(names = "--max-block", defaultValue = "500", description = "producer.max-transactions") int maxBlock;

    @Override
    public Integer call() throws Exception {
      System.out.print(LedgerBenchmark.run(nodes, transactions, warmup, inFlight, maxBlock).table());
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

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Writes a chain of N one-transaction blocks to a replica, then times its recovery.")
  static final class Replay implements Callable<Integer> {
    @Option(names = "--blocks", defaultValue = "100000") int blocks;

    @Override
    public Integer call() throws Exception {
      System.out.print(ReplayBenchmark.run(blocks));
      return 0;
    }
  }
}
