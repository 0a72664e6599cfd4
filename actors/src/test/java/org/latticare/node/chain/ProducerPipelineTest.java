package org.latticare.node.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.rules.Rejection;
import org.latticare.node.chain.ProducerPipeline.CancelCut;
import org.latticare.node.chain.ProducerPipeline.Candidate;
import org.latticare.node.chain.ProducerPipeline.Decision;
import org.latticare.node.chain.ProducerPipeline.Limits;
import org.latticare.node.chain.ProducerPipeline.Prepare;
import org.latticare.node.chain.ProducerPipeline.Refused;
import org.latticare.node.chain.ProducerPipeline.Reply;
import org.latticare.node.chain.ProducerPipeline.ScheduleCut;
import org.latticare.node.chain.ProducerPipeline.SignAndSend;
import org.latticare.node.chain.ProducerPipeline.StartSync;

/** The producer's rules on their own: replicas and mempools are plain names, the actor's part is played here. */
class ProducerPipelineTest {

  private static final String OWN = "own-replica";
  private static final String R2 = "replica-2";
  private static final String R3 = "replica-3";
  private static final String MEMPOOL_1 = "mempool-1";
  private static final String MEMPOOL_2 = "mempool-2";
  private static final Duration MAX_DELAY = Duration.ofMillis(20);
  private static final BlockHeader GENESIS =
      new BlockHeader(BlockHeader.CURRENT_VERSION, 0, Sha3Hash.ZERO, Sha3Hash.ZERO, 0, 0, "genesis");

  private static final Limits ONE_PER_BLOCK = limits(1, 1 << 20, 100, 2);

  private static Limits limits(int maxTransactions, long maxBlockBytes, int maxPending, int maxInFlight) {
    return new Limits(maxTransactions, maxBlockBytes, MAX_DELAY, maxPending, maxInFlight);
  }

  /** A producer past its start-up sync, with the own replica and {@code others} known. */
  private static ProducerPipeline<String, String> producing(int consortiumSize, Limits limits, String... others) {
    ProducerPipeline<String, String> pipeline = new ProducerPipeline<>(OWN, consortiumSize, limits);
    pipeline.start();
    pipeline.replicasChanged(Set.of(others));
    pipeline.syncFinished();
    return pipeline;
  }

  private static Candidate tx(String submitter, long nonce) {
    return tx(submitter, nonce, "body");
  }

  private static Candidate tx(String submitter, long nonce, String body) {
    byte[] bytes = (submitter + '/' + nonce + '/' + body).getBytes(StandardCharsets.UTF_8);
    return new Candidate(bytes, Sha3Hash.of(bytes).hex(), submitter, nonce);
  }

  private static Candidate sized(String submitter, long nonce, int size) {
    byte[] bytes = Arrays.copyOf((submitter + '/' + nonce).getBytes(StandardCharsets.UTF_8), size);
    return new Candidate(bytes, Sha3Hash.of(bytes).hex(), submitter, nonce);
  }

  private static <T> Stream<T> ofType(Class<T> type, List<Decision<String, String>> decisions) {
    return decisions.stream().filter(type::isInstance).map(type::cast);
  }

  private static List<Prepare<String, String>> prepares(List<Decision<String, String>> decisions) {
    return decisions.stream().flatMap(d -> d instanceof Prepare<String, String> p ? Stream.of(p) : Stream.empty())
        .toList();
  }

  private static Prepare<String, String> prepare(List<Decision<String, String>> decisions) {
    assertThat(prepares(decisions)).hasSize(1);
    return prepares(decisions).get(0);
  }

  private static SignAndSend<String, String> signAndSend(List<Decision<String, String>> decisions) {
    List<SignAndSend<String, String>> blocks = decisions.stream()
        .flatMap(d -> d instanceof SignAndSend<String, String> s ? Stream.of(s) : Stream.empty()).toList();
    assertThat(blocks).hasSize(1);
    return blocks.get(0);
  }

  private static List<SubmitResult> repliesTo(String mempool, List<Decision<String, String>> decisions) {
    return decisions.stream()
        .flatMap(d -> d instanceof Reply<String, String> r && r.to().equals(mempool)
            ? r.results().stream() : Stream.empty())
        .toList();
  }

  private static List<Duration> cutsScheduled(List<Decision<String, String>> decisions) {
    return decisions.stream()
        .flatMap(d -> d instanceof ScheduleCut<String, String> cut ? Stream.of(cut.after()) : Stream.empty()).toList();
  }

  private static List<String> hashes(List<SubmitResult> results) {
    return results.stream().map(SubmitResult::transactionHash).toList();
  }

  private static boolean startsSync(List<Decision<String, String>> decisions) {
    return ofType(StartSync.class, decisions).findAny().isPresent();
  }

  /** What the actor's signing yields: the next header on {@code block}'s parent (the signature is not a rule here). */
  private static BlockHeader signed(SignAndSend<String, String> block) {
    String leaves = String.join(",", block.leaves().stream().map(Sha3Hash::hex).toList());
    return new BlockHeader(BlockHeader.CURRENT_VERSION, block.parent().height() + 1, block.parent().hash(),
        Sha3Hash.of(leaves.getBytes(StandardCharsets.UTF_8)), block.transactions().size(), block.timeMillis(),
        "producer");
  }

  /** The own replica accepts the whole prepared batch on {@code head}; the block is signed and sent. */
  private record Sent(BlockHeader header, Set<String> targets, List<Decision<String, String>> after) {}

  private static Sent acceptAll(ProducerPipeline<String, String> pipeline, Prepare<String, String> prepare,
      BlockHeader head) {
    List<Integer> all = IntStream.range(0, prepare.candidates().size()).boxed().toList();
    SignAndSend<String, String> block = signAndSend(pipeline.batchPrepared(head, 1_000, all, List.of()));
    BlockHeader header = signed(block);
    return new Sent(header, block.targets(), pipeline.blockSent(header));
  }

  /** {@code transaction} arrives alone and, with one transaction per block, goes out as the block on {@code head}. */
  private static Sent sendOne(ProducerPipeline<String, String> pipeline, Candidate transaction, String mempool,
      BlockHeader head) {
    return acceptAll(pipeline, prepare(pipeline.transactionsEnqueued(List.of(transaction), mempool)), head);
  }

  /** Two one-transaction blocks in flight, the second on the first: {@code a} from mempool 1, {@code b} from any. */
  private record TwoBlocks(ProducerPipeline<String, String> pipeline, Candidate a, Candidate b, Sent first,
      Sent second) {}

  private static TwoBlocks twoBlocksInFlight(String mempoolOfB) {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Candidate a = tx("a", 1);
    Candidate b = tx("b", 1);
    Sent first = sendOne(pipeline, a, MEMPOOL_1, GENESIS);
    return new TwoBlocks(pipeline, a, b, first, sendOne(pipeline, b, mempoolOfB, first.header()));
  }

  // Deduplication and the queue

  @Test
  void sameTransactionFromTwoMempoolsIsQueuedOnceAndBothHearItCommitted() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(2, 1 << 20, 100, 2), R2, R3);
    Candidate transaction = tx("alice", 1);

    assertThat(pipeline.transactionsEnqueued(List.of(transaction), MEMPOOL_1)).noneMatch(Reply.class::isInstance);
    assertThat(pipeline.transactionsEnqueued(List.of(transaction), MEMPOOL_2)).noneMatch(Reply.class::isInstance);
    assertThat(pipeline.queued()).isEqualTo(1);

    Sent block = acceptAll(pipeline, prepare(pipeline.cutTimerFired()), GENESIS);
    assertThat(block.header().transactionCount()).isEqualTo(1);
    pipeline.appendAcknowledged(block.header().hash(), OWN);
    List<Decision<String, String>> committed = pipeline.appendAcknowledged(block.header().hash(), R2);

    for (String mempool : List.of(MEMPOOL_1, MEMPOOL_2)) {
      assertThat(repliesTo(mempool, committed)).containsExactly(
          SubmitResult.committed(transaction.hash(), 1, block.header().hash().hex()));
    }
  }

  @Test
  void sameTransactionArrivingWhileItsBlockIsInFlightWaitsForThatBlock() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Candidate transaction = tx("alice", 1);
    Sent block = sendOne(pipeline, transaction, MEMPOOL_1, GENESIS);

    assertThat(pipeline.transactionsEnqueued(List.of(transaction), MEMPOOL_2)).isEmpty();
    assertThat(pipeline.queued()).isZero();

    pipeline.appendAcknowledged(block.header().hash(), OWN);
    List<Decision<String, String>> committed = pipeline.appendAcknowledged(block.header().hash(), R3);
    assertThat(hashes(repliesTo(MEMPOOL_1, committed))).containsExactly(transaction.hash());
    assertThat(hashes(repliesTo(MEMPOOL_2, committed))).containsExactly(transaction.hash());
  }

  @Test
  void otherBytesUnderAPendingNonceAreRefusedAsReplayed() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(10, 1 << 20, 100, 2), R2, R3);
    pipeline.transactionsEnqueued(List.of(tx("alice", 7, "first")), MEMPOOL_1);

    Candidate replay = tx("alice", 7, "second");
    List<SubmitResult> answer = repliesTo(MEMPOOL_2, pipeline.transactionsEnqueued(List.of(replay), MEMPOOL_2));

    assertThat(answer).hasSize(1);
    assertThat(answer.get(0).outcome()).isEqualTo(SubmitResult.Outcome.REFUSED);
    assertThat(answer.get(0).code()).isEqualTo(Rejection.Code.NONCE_REPLAYED.name());
    assertThat(answer.get(0).transactionHash()).isEqualTo(replay.hash());
    assertThat(pipeline.queued()).isEqualTo(1);
  }

  @Test
  void fullQueueAnswersBusyAndTakesNothingMore() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(10, 1 << 20, 2, 2), R2, R3);
    Candidate third = tx("carol", 1);

    List<Decision<String, String>> decisions =
        pipeline.transactionsEnqueued(List.of(tx("alice", 1), tx("bob", 1), third), MEMPOOL_1);

    List<SubmitResult> answer = repliesTo(MEMPOOL_1, decisions);
    assertThat(hashes(answer)).containsExactly(third.hash());
    assertThat(answer.get(0).code()).isEqualTo(SubmitResult.BUSY);
    assertThat(pipeline.queued()).isEqualTo(2);
  }

  // Cutting a batch

  @Test
  void batchIsCutAtMaxTransactions() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(3, 1 << 20, 100, 2), R2, R3);

    List<Decision<String, String>> partial = pipeline.transactionsEnqueued(List.of(tx("a", 1), tx("b", 1)), MEMPOOL_1);
    assertThat(prepares(partial)).isEmpty();
    assertThat(cutsScheduled(partial)).containsExactly(MAX_DELAY);

    List<Decision<String, String>> full = pipeline.transactionsEnqueued(List.of(tx("c", 1), tx("d", 1)), MEMPOOL_1);
    assertThat(prepare(full).candidates()).hasSize(3);
    assertThat(full).anyMatch(CancelCut.class::isInstance);
    assertThat(pipeline.queued()).isEqualTo(1);
  }

  @Test
  void batchIsCutAtMaxBlockBytesAndHoldsNoMore() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(100, 250, 100, 2), R2, R3);

    assertThat(prepares(pipeline.transactionsEnqueued(List.of(sized("a", 1, 100), sized("b", 1, 100)), MEMPOOL_1)))
        .isEmpty();
    Prepare<String, String> batch = prepare(pipeline.transactionsEnqueued(List.of(sized("c", 1, 100)), MEMPOOL_1));

    assertThat(batch.candidates()).hasSize(2);
    assertThat(pipeline.queued()).isEqualTo(1);
  }

  @Test
  void partialBatchIsCutWhenTheTimerFires() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(100, 1 << 20, 100, 2), R2, R3);
    Candidate alone = tx("alice", 1);
    pipeline.transactionsEnqueued(List.of(alone), MEMPOOL_1);

    Prepare<String, String> batch = prepare(pipeline.cutTimerFired());

    assertThat(batch.candidates()).containsExactly(alone.transaction());
  }

  @Test
  void noMoreThanMaxInFlightBlocksAreSentAndTheNextFollowsACommit() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(1, 1 << 20, 100, 1), R2, R3);
    Sent first = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);

    assertThat(prepares(pipeline.transactionsEnqueued(List.of(tx("b", 1)), MEMPOOL_1))).isEmpty();
    assertThat(prepares(pipeline.cutTimerFired())).isEmpty();
    assertThat(pipeline.blocksInFlight()).isEqualTo(1);

    pipeline.appendAcknowledged(first.header().hash(), OWN);
    List<Decision<String, String>> committed = pipeline.appendAcknowledged(first.header().hash(), R2);
    assertThat(repliesTo(MEMPOOL_1, committed)).hasSize(1);
    assertThat(prepare(committed).candidates()).hasSize(1);
  }

  // Preparation

  @Test
  void refusalsFromPreparationReachTheirOwnWaitersAndFreeTheNonce() {
    ProducerPipeline<String, String> pipeline = producing(3, limits(2, 1 << 20, 100, 2), R2, R3);
    Candidate good = tx("alice", 1);
    Candidate bad = tx("mallory", 1);
    pipeline.transactionsEnqueued(List.of(good), MEMPOOL_1);
    pipeline.transactionsEnqueued(List.of(bad), MEMPOOL_2);

    Rejection rejection = Rejection.of(Rejection.Code.UNKNOWN_SUBMITTER, "mallory is not enrolled");
    List<Decision<String, String>> decisions =
        pipeline.batchPrepared(GENESIS, 1_000, List.of(0), List.of(new Refused(1, rejection)));

    assertThat(repliesTo(MEMPOOL_1, decisions)).isEmpty();
    assertThat(repliesTo(MEMPOOL_2, decisions)).containsExactly(SubmitResult.refused(bad.hash(), rejection));
    SignAndSend<String, String> block = signAndSend(decisions);
    assertThat(block.transactions()).containsExactly(good.transaction());
    pipeline.blockSent(signed(block));
    assertThat(repliesTo(MEMPOOL_2, pipeline.transactionsEnqueued(List.of(tx("mallory", 1, "again")), MEMPOOL_2)))
        .isEmpty();
  }

  @Test
  void ownReplicaNotAnsweringMakesTheBatchUnknownAndResyncs() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Candidate transaction = tx("alice", 1);
    pipeline.transactionsEnqueued(List.of(transaction), MEMPOOL_1);

    List<Decision<String, String>> decisions = pipeline.preparationFailed();

    assertThat(repliesTo(MEMPOOL_1, decisions)).singleElement()
        .satisfies(r -> assertThat(r.code()).isEqualTo(SubmitResult.UNKNOWN_OUTCOME))
        .satisfies(r -> assertThat(r.transactionHash()).isEqualTo(transaction.hash()));
    assertThat(startsSync(decisions)).isTrue();
  }

  @Test
  void headOtherThanTheLastBlockSentFailsEverythingInFlight() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Sent first = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);
    prepare(pipeline.transactionsEnqueued(List.of(tx("b", 1)), MEMPOOL_2));

    // the own replica answers on genesis: it did not append the first block
    List<Decision<String, String>> decisions = pipeline.batchPrepared(GENESIS, 1_000, List.of(0), List.of());

    for (String mempool : List.of(MEMPOOL_1, MEMPOOL_2)) {
      assertThat(repliesTo(mempool, decisions)).extracting(SubmitResult::code)
          .containsExactly(SubmitResult.UNKNOWN_OUTCOME);
    }
    assertThat(ofType(SignAndSend.class, decisions)).isEmpty();
    assertThat(startsSync(decisions)).isTrue();
    assertThat(pipeline.appendAcknowledged(first.header().hash(), OWN)).isEmpty();
  }

  @Test
  void nextBlockIsBuiltOnTheLastBlockSent() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Sent first = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);
    Prepare<String, String> next = prepare(pipeline.transactionsEnqueued(List.of(tx("b", 1)), MEMPOOL_1));

    Sent second = acceptAll(pipeline, next, first.header());

    assertThat(second.header().height()).isEqualTo(2);
    assertThat(second.header().previousHash()).isEqualTo(first.header().hash());
    assertThat(pipeline.blocksInFlight()).isEqualTo(2);
  }

  // Commit: majority and order

  @Test
  void blocksCommitInHeightOrderEvenWhenTheSecondBlocksMajorityArrivesFirst() {
    TwoBlocks blocks = twoBlocksInFlight(MEMPOOL_1);
    ProducerPipeline<String, String> pipeline = blocks.pipeline();
    Sent first = blocks.first();
    Sent second = blocks.second();

    assertThat(pipeline.appendAcknowledged(second.header().hash(), OWN)).noneMatch(Reply.class::isInstance);
    assertThat(pipeline.appendAcknowledged(second.header().hash(), R2)).noneMatch(Reply.class::isInstance);
    pipeline.appendAcknowledged(first.header().hash(), OWN);
    List<Decision<String, String>> committed = pipeline.appendAcknowledged(first.header().hash(), R3);

    assertThat(repliesTo(MEMPOOL_1, committed)).containsExactly(
        SubmitResult.committed(blocks.a().hash(), 1, first.header().hash().hex()),
        SubmitResult.committed(blocks.b().hash(), 2, second.header().hash().hex()));
    assertThat(pipeline.blocksInFlight()).isZero();
  }

  @Test
  void twoReplicasKnownInAConsortiumOfThreeCommitWithBoth() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2);
    Sent block = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);
    assertThat(block.targets()).containsExactlyInAnyOrder(OWN, R2);

    assertThat(repliesTo(MEMPOOL_1, pipeline.appendAcknowledged(block.header().hash(), OWN))).isEmpty();
    assertThat(repliesTo(MEMPOOL_1, pipeline.appendAcknowledged(block.header().hash(), R2)))
        .extracting(SubmitResult::outcome).containsExactly(SubmitResult.Outcome.COMMITTED);
  }

  @Test
  void majorityOfOtherReplicasWithoutTheOwnDoesNotCommitAndItsRefusalFailsTheBlock() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Sent block = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);

    assertThat(pipeline.appendAcknowledged(block.header().hash(), R2)).isEmpty();
    assertThat(pipeline.appendAcknowledged(block.header().hash(), R3)).isEmpty();
    List<Decision<String, String>> refused = pipeline.appendRefused(block.header().hash(), OWN);

    assertThat(repliesTo(MEMPOOL_1, refused)).extracting(SubmitResult::code)
        .containsExactly(SubmitResult.UNKNOWN_OUTCOME);
    assertThat(startsSync(refused)).isTrue();
  }

  @Test
  void blockShortOfAMajorityFailsItAndEveryBlockBuiltOnItAndAsksForASync() {
    TwoBlocks blocks = twoBlocksInFlight(MEMPOOL_2);
    ProducerPipeline<String, String> pipeline = blocks.pipeline();
    Sent first = blocks.first();
    pipeline.appendAcknowledged(first.header().hash(), OWN);

    assertThat(pipeline.appendRefused(first.header().hash(), R2)).isEmpty();
    List<Decision<String, String>> failed = pipeline.appendRefused(first.header().hash(), R3);

    assertThat(repliesTo(MEMPOOL_1, failed)).singleElement().satisfies(r -> {
      assertThat(r.transactionHash()).isEqualTo(blocks.a().hash());
      assertThat(r.code()).isEqualTo(SubmitResult.UNKNOWN_OUTCOME);
      assertThat(r.reason()).contains("block 1 was persisted by 1 of 3 replicas");
    });
    assertThat(repliesTo(MEMPOOL_2, failed)).singleElement()
        .satisfies(r -> assertThat(r.code()).isEqualTo(SubmitResult.UNKNOWN_OUTCOME));
    assertThat(startsSync(failed)).isTrue();
    assertThat(pipeline.syncing()).isTrue();
    assertThat(pipeline.blocksInFlight()).isZero();
    // late acknowledgements of a failed block change nothing
    assertThat(pipeline.appendAcknowledged(blocks.second().header().hash(), OWN)).isEmpty();
    assertThat(pipeline.appendAcknowledged(blocks.second().header().hash(), R2)).isEmpty();
  }

  @Test
  void batchPreparedBeforeAFailureIsRequeuedNotSent() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);
    Candidate b = tx("b", 1);
    Sent first = sendOne(pipeline, tx("a", 1), MEMPOOL_1, GENESIS);
    prepare(pipeline.transactionsEnqueued(List.of(b), MEMPOOL_2));
    pipeline.appendRefused(first.header().hash(), OWN);

    List<Decision<String, String>> late = pipeline.batchPrepared(first.header(), 1_000, List.of(0), List.of());

    assertThat(ofType(SignAndSend.class, late)).isEmpty();
    assertThat(repliesTo(MEMPOOL_2, late)).isEmpty();
    assertThat(pipeline.queued()).isEqualTo(1);
    assertThat(prepare(pipeline.syncFinished()).candidates()).containsExactly(b.transaction());
  }

  // When nothing is produced

  @Test
  void nothingIsProducedWhileSyncing() {
    ProducerPipeline<String, String> pipeline = new ProducerPipeline<>(OWN, 3, ONE_PER_BLOCK);
    assertThat(startsSync(pipeline.start())).isTrue();
    pipeline.replicasChanged(Set.of(R2, R3));

    assertThat(prepares(pipeline.transactionsEnqueued(List.of(tx("a", 1)), MEMPOOL_1))).isEmpty();
    assertThat(prepares(pipeline.cutTimerFired())).isEmpty();
    assertThat(startsSync(pipeline.syncFailed("no peer answered"))).isTrue();
    assertThat(prepares(pipeline.cutTimerFired())).isEmpty();

    assertThat(prepare(pipeline.syncFinished()).candidates()).hasSize(1);
  }

  @Test
  void nothingIsProducedWithFewerReplicasKnownThanAMajority() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK);

    List<Decision<String, String>> waiting = pipeline.transactionsEnqueued(List.of(tx("a", 1)), MEMPOOL_1);
    assertThat(prepares(waiting)).isEmpty();
    assertThat(repliesTo(MEMPOOL_1, waiting)).isEmpty();
    assertThat(cutsScheduled(waiting)).containsExactly(MAX_DELAY.multipliedBy(10));

    pipeline.replicasChanged(Set.of(R2));
    assertThat(prepare(pipeline.cutTimerFired()).candidates()).hasSize(1);
  }

  @Test
  void signedBlockMustBeTheOneAskedFor() {
    ProducerPipeline<String, String> pipeline = producing(3, ONE_PER_BLOCK, R2, R3);

    assertThatThrownBy(() -> pipeline.blockSent(GENESIS)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(pipeline::preparationFailed).isInstanceOf(IllegalStateException.class);
  }
}
