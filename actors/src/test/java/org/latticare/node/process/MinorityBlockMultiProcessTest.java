package org.latticare.node.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The producer's node dies after its own replica persisted a block and before any other replica got it (forced:
 * {@code latticare.fault-injection.withhold-block} halts it right there). The two others commit other blocks from that
 * height; the dead node, started again on its data directory, finds its block was never committed, keeps a copy,
 * exits asking for a restart, and once restarted follows the committed chain. No acknowledged transaction is lost.
 */
@Tag("multi-process")
class MinorityBlockMultiProcessTest {

  private static final int WITHHELD = 3;
  /** What {@code latticare node} exits with to be started again (NodeCommand.EXIT_RESTART). */
  private static final int EXIT_RESTART = 3;

  @Test
  void aBlockOnlyTheDeadProducersReplicaHeldIsDroppedAtItsRestartAndNoAcknowledgedTransactionIsLost() throws Exception {
    try (NodeProcesses nodes = NodeProcesses.found(Path.of("target", "multi-process"), 3, List.of())) {
      // node-1 starts first: the oldest member runs the producer
      nodes.start(0, Map.of("LATTICARE_FAULT_WITHHOLD_BLOCK", Integer.toString(WITHHELD)));
      nodes.awaitServing(0, Duration.ofSeconds(90));
      for (int i = 1; i < 3; i++) {
        nodes.start(i);
        nodes.awaitServing(i, Duration.ofSeconds(90));
      }
      for (int i = 0; i < 3; i++) {
        nodes.awaitHealthy(i, Duration.ofSeconds(90));
      }
      List<TransactionStream.Outcome> acknowledged = new ArrayList<>();
      while (nodes.head(1).path("height").asLong() < WITHHELD - 1) {
        acknowledged.add(commit(nodes, 1, Duration.ofSeconds(30)));
      }
      assertThat(nodes.head(1).path("producerId").asText()).isEqualTo("node-1");

      // the next block reaches node-1's replica only, and node-1 dies at once
      TransactionStream.Outcome withheld = TransactionStream.submit(nodes, 1).get(60, TimeUnit.SECONDS);
      System.out.println("[multi-process] the submission in the withheld block was answered " + withheld.status());
      assertThat(withheld.committed()).as("a block one replica of three holds is not acknowledged").isFalse();
      assertThat(nodes.awaitExit(0, Duration.ofSeconds(30))).as("node-1 halted by the injected fault").isPresent();

      // node-2 and node-3, a majority, commit other blocks from that height
      acknowledged.add(commit(nodes, 1, Duration.ofSeconds(60)));
      acknowledged.add(commit(nodes, 2, Duration.ofSeconds(30)));
      String committedHash = nodes.block(1, WITHHELD).path("hash").asText();

      // node-1 started again on its data directory (the fault no longer injected) finds its block never committed
      long restarted = System.nanoTime();
      nodes.start(0);
      OptionalInt exit = nodes.awaitExit(0, Duration.ofSeconds(120));
      assertThat(exit).as("node-1 exits asking to be started again").hasValue(EXIT_RESTART);
      Path node1 = nodes.dir().resolve("node-1");
      assertThat(node1.resolve("dropped-blocks").resolve("block-" + WITHHELD + ".bin")).exists();
      assertThat(Files.readString(nodes.dir().resolve("node-1.log"))).contains("CHAIN_FORK_DROPPED");

      // as the launcher does on that exit code: it drops the block and follows the committed chain
      nodes.start(0);
      nodes.awaitServing(0, Duration.ofSeconds(90));
      nodes.awaitHealthy(0, Duration.ofSeconds(90));
      acknowledged.add(commit(nodes, 0, Duration.ofSeconds(30)));
      JsonNode head = nodes.awaitSameHead(List.of(0, 1, 2), Duration.ofSeconds(60));
      System.out.printf("[multi-process] node-1 restarted with a block never committed to the same head as the others:"
          + " %.1f s%n", (System.nanoTime() - restarted) / 1e9);
      assertThat(nodes.block(0, WITHHELD).path("hash").asText()).isEqualTo(committedHash);
      var onChain = nodes.transactionsOnChain(0, head.path("height").asLong());
      assertThat(onChain.values()).as("no transaction twice").allMatch(count -> count == 1);
      assertThat(onChain.keySet()).containsAll(acknowledged.stream().map(TransactionStream.Outcome::hash).toList());
    }
  }

  /** Submits new transactions to {@code front} until one is acknowledged (a fail-over answers 503 meanwhile). */
  private static TransactionStream.Outcome commit(NodeProcesses nodes, int front, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    TransactionStream.Outcome outcome;
    do {
      outcome = TransactionStream.submit(nodes, front).get(60, TimeUnit.SECONDS);
      if (outcome.committed()) {
        return outcome;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no commit through node-" + (front + 1) + " within " + within + ": " + outcome);
  }
}
