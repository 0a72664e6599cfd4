package org.latticare.node.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.CryptoPool;

/**
 * Valid signed transactions and blocks built in-process, without a producer, for the benchmarks that need a chain
 * (replay, catch-up) or a stream of submissions (ledger): signing is spread over the crypto pool, since ML-DSA
 * signing (350–530 µs) would otherwise take longer than most of what is measured.
 */
final class BenchChain {

  /** The patient every anchor refers to; the first transaction enrols it. */
  static final String PATIENT = "p-bench";
  /** The study every statistic goes to; the first transaction creates it. */
  static final String STUDY = "s-bench";

  private BenchChain() {}

  /**
   * {@code count} transactions of one hospital admin, nonces 0 to count - 1: the first enrols {@link #PATIENT},
   * the others anchor a record each for that patient (about 3.7 kB each, most of it the signature).
   */
  static List<Transaction> anchors(MlDsa65.KeyPair admin, String adminId, int count, long timeMillis) {
    return signed(admin, adminId, count, timeMillis, n -> n == 0
        ? new TxBody.PatientEnrolled(PATIENT, new byte[] {1}, Sha3Hash.ZERO)
        : new TxBody.RecordAnchored("r-" + n, PATIENT, Sha3Hash.of(new byte[] {(byte) n}), 256, "cas", new byte[0]));
  }

  /**
   * {@code count} transactions of one hospital admin that concern no patient: the first creates {@link #STUDY},
   * the others submit a statistic to it. On a chain of these, no patient's contract or gateway has work to do as
   * the blocks are applied.
   */
  static List<Transaction> statistics(MlDsa65.KeyPair admin, String adminId, int count, long timeMillis) {
    return signed(admin, adminId, count, timeMillis, n -> n == 0
        ? new TxBody.StudyCreated(STUDY, "benchmark study", 0, new byte[0])
        : new TxBody.StatisticSubmitted(STUDY, "m", 1, new byte[0]));
  }

  private static List<Transaction> signed(MlDsa65.KeyPair key, String submitter, int count, long timeMillis,
      IntFunction<TxBody> body) {
    return CryptoPool.shared().submit(() -> IntStream.range(0, count).parallel()
        .mapToObj(n -> Transaction.sign(key, submitter, n, timeMillis, body.apply(n))).toList()).join();
  }

  /**
   * The chain after {@code genesis} holding {@code transactions} in order, {@code perBlock} to a block (the last
   * block may hold fewer), each block signed by {@code producerId} and timestamped a millisecond after the one
   * before, the first at {@code timeMillis} (within the ledger's window around its transactions' time). Headers
   * are chained first, then signed in parallel.
   */
  static List<Block> blocks(Block genesis, String producerId, MlDsa65.KeyPair producerKey,
      List<Transaction> transactions, int perBlock, long timeMillis) {
    if (perBlock < 1) {
      throw new IllegalArgumentException("a block holds at least one transaction, not " + perBlock);
    }
    List<List<Transaction>> contents = new ArrayList<>();
    for (int from = 0; from < transactions.size(); from += perBlock) {
      contents.add(transactions.subList(from, Math.min(transactions.size(), from + perBlock)));
    }
    List<BlockHeader> headers = new ArrayList<>(contents.size());
    Sha3Hash previous = genesis.hash();
    for (int i = 0; i < contents.size(); i++) {
      BlockHeader header = new BlockHeader(BlockHeader.CURRENT_VERSION, i + 1, previous,
          Block.merkleRoot(contents.get(i)), contents.get(i).size(), timeMillis + i, producerId);
      headers.add(header);
      previous = header.hash();
    }
    return CryptoPool.shared().submit(() -> IntStream.range(0, headers.size()).parallel()
        .mapToObj(i -> new Block(headers.get(i), producerKey.sign(Block.signingBytes(headers.get(i))), contents.get(i)))
        .toList()).join();
  }

  /** Appends {@code block} through {@code replica}'s validation; a refusal ends the benchmark with its reason. */
  static void append(ActorSystem<?> system, ActorRef<ChainReplica.Command> replica, Block block) throws Exception {
    StatusReply<ChainReplica.Appended> reply = AskPattern.<ChainReplica.Command, StatusReply<ChainReplica.Appended>>ask(
            replica, replyTo -> new ChainReplica.AppendBlock(block.encode(), replyTo), Duration.ofSeconds(120),
            system.scheduler())
        .toCompletableFuture().get(120, TimeUnit.SECONDS);
    if (reply.isError()) {
      throw new IllegalStateException("block " + block.height() + " refused: " + reply.getError().getMessage());
    }
  }
}
