package org.latticare.node.chain;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import org.latticare.cluster.CborSerializable;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.chain.ProducerPipeline.CancelCut;
import org.latticare.node.chain.ProducerPipeline.Decision;
import org.latticare.node.chain.ProducerPipeline.Prepare;
import org.latticare.node.chain.ProducerPipeline.Reply;
import org.latticare.node.chain.ProducerPipeline.ScheduleCut;
import org.latticare.node.chain.ProducerPipeline.SignAndSend;
import org.latticare.node.chain.ProducerPipeline.StartSync;

/**
 * Orders transactions into blocks for the whole consortium: a Cluster Singleton among the nodes with
 * role {@code producer}, each of which is listed as a producer in the genesis block.
 *
 * <p>What to do is decided by a {@link ProducerPipeline} (deduplication by (submitter, nonce), cutting
 * a block at {@code maxTransactions}, {@code maxBlockBytes} or {@code maxDelay}, up to {@code maxInFlight}
 * blocks in flight, commit by a majority of replicas counted over at least {@code consortiumSize} with
 * the own replica among them, in height order, and a resync after any failure). This actor only carries
 * its decisions out: it asks its own replica to filter a batch by the ledger's rules
 * ({@link ChainReplica.PrepareBlock}), signs each block with its node's ML-DSA-65 key, sends it to every
 * replica ({@link ChainReplica.AppendBlock}), brings its replica up to the highest reachable head
 * ({@link ReplicaSync}) on start and after any failure, keeps the cut timer and answers the mempools.
 *
 * <p>A batch is prepared right behind the previous block's append in the own replica's mailbox, so it is
 * checked against a state that includes that block; replicas verify the next block while the previous
 * one is written and acknowledged.
 */
public final class BlockProducer extends AbstractBehavior<BlockProducer.Command> {

  public interface Command extends CborSerializable {}

  /**
   * Transactions admitted by one node's mempool, in the order admitted, and where their outcomes go:
   * a mempool sends what it admitted together and hears back once per block, not once per transaction.
   */
  public record Enqueue(List<Admitted> transactions, ActorRef<Outcomes> replyTo) implements Command {}

  /** An admitted transaction: its canonical encoding, hash and (submitter, nonce). */
  public record Admitted(byte[] transaction, String hash, String submitter, long nonce) implements CborSerializable {}

  /** What became of some of one mempool's transactions. */
  public record Outcomes(List<SubmitResult> results) implements CborSerializable {}

  private enum CutBlock implements Command { INSTANCE }

  private record Synced(ReplicaSync.Synced result) implements Command {}

  /** The own replica's answer to the batch being prepared; null if it did not answer in time. */
  private record BatchPrepared(ChainReplica.Prepared prepared) implements Command {}

  private record AppendResult(ActorRef<ChainReplica.Command> replica, Sha3Hash blockHash, boolean persisted,
      String error) implements Command {}

  private record ReplicasChanged(Receptionist.Listing listing) implements Command {}

  /** About 200 bytes per outcome: a message of at most this many stays well inside Artery's ordinary 256 KiB frame. */
  private static final int OUTCOMES_PER_MESSAGE = 256;

  private final TimerScheduler<Command> timers;
  private final String nodeId;
  private final MlDsa65.KeyPair key;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final ActorRef<ReplicaSync.Command> sync;
  /** Replicas answer a block or a batch behind up to {@code maxInFlight} blocks: their asks wait that much longer. */
  private final Duration replicaTimeout;
  private final Duration askTimeout;
  private final ProducerPipeline<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> pipeline;
  private final long withholdHeight;
  private Sha3Hash withheld;

  /**
   * {@code withholdHeight}: a fault injected for the fault tests, 0 in use: the block at that height goes to this
   * node's replica only, and the JVM halts as soon as that replica has persisted it — the producer's node dies before
   * any other replica has the block ({@code latticare.fault-injection.withhold-block}).
   */
  public static Behavior<Command> create(String nodeId, MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica,
      ActorRef<ReplicaSync.Command> sync, int consortiumSize, ProducerPipeline.Limits limits, Duration askTimeout,
      long withholdHeight) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new BlockProducer(context, timers, nodeId, key,
        ownReplica, sync, consortiumSize, limits, askTimeout, withholdHeight)));
  }

  private BlockProducer(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId,
      MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica, ActorRef<ReplicaSync.Command> sync,
      int consortiumSize, ProducerPipeline.Limits limits, Duration askTimeout, long withholdHeight) {
    super(context);
    this.withholdHeight = withholdHeight;
    this.timers = timers;
    this.nodeId = nodeId;
    this.key = key;
    this.ownReplica = ownReplica;
    this.sync = sync;
    this.replicaTimeout = askTimeout.multipliedBy(limits.maxInFlight());
    this.askTimeout = askTimeout;
    this.pipeline = new ProducerPipeline<>(ownReplica, consortiumSize, limits);
    ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, ReplicasChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(ChainReplica.SERVICE_KEY, adapter));
    perform(pipeline.start());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReplicasChanged.class, this::onReplicasChanged)
        .onMessage(Enqueue.class, this::onEnqueue)
        .onMessage(Synced.class, this::onSynced)
        .onMessageEquals(CutBlock.INSTANCE, () -> perform(pipeline.cutTimerFired()))
        .onMessage(BatchPrepared.class, this::onPrepared)
        .onMessage(AppendResult.class, this::onAppendResult)
        .build();
  }

  private Behavior<Command> onReplicasChanged(ReplicasChanged changed) {
    pipeline.replicasChanged(changed.listing().getServiceInstances(ChainReplica.SERVICE_KEY));
    return this;
  }

  private Behavior<Command> onEnqueue(Enqueue enqueue) {
    return perform(pipeline.transactionsEnqueued(enqueue.transactions().stream()
        .map(a -> new ProducerPipeline.Candidate(a.transaction(), a.hash(), a.submitter(), a.nonce()))
        .toList(), enqueue.replyTo()));
  }

  private Behavior<Command> onSynced(Synced synced) {
    if (synced.result().height() < 0) {
      return perform(pipeline.syncFailed(synced.result().problem()));
    }
    getContext().getLog().info("Producer on {} resumes at height {}", nodeId, synced.result().height());
    return perform(pipeline.syncFinished());
  }

  private Behavior<Command> onPrepared(BatchPrepared answer) {
    ChainReplica.Prepared prepared = answer.prepared();
    if (prepared == null) {
      return perform(pipeline.preparationFailed());
    }
    return perform(pipeline.batchPrepared(BlockHeader.decode(prepared.headHeader()), prepared.timeMillis(),
        prepared.accepted(), prepared.refused().stream()
            .map(r -> new ProducerPipeline.Refused(r.position(), r.rejection())).toList()));
  }

  private Behavior<Command> onAppendResult(AppendResult result) {
    if (result.persisted() && result.blockHash().equals(withheld)) {
      getContext().getLog().error("FAULT_INJECTED: this node's replica persisted block {} ({}); the node dies now",
          withholdHeight, withheld);
      Runtime.getRuntime().halt(137);
    }
    if (result.persisted()) {
      return perform(pipeline.appendAcknowledged(result.blockHash(), result.replica()));
    }
    getContext().getLog().warn("Replica {} did not persist block {}: {}", result.replica().path(),
        result.blockHash().hex(), result.error());
    return perform(pipeline.appendRefused(result.blockHash(), result.replica()));
  }

  private Behavior<Command> perform(List<Decision<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>>> decisions) {
    for (var decision : decisions) {
      if (decision instanceof Reply<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> reply) {
        tellInParts(reply.to(), reply.results());
      } else if (decision instanceof Prepare<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> prepare) {
        getContext().ask(ChainReplica.Prepared.class, ownReplica, replicaTimeout,
            replyTo -> new ChainReplica.PrepareBlock(prepare.candidates(), System.currentTimeMillis(), replyTo),
            (prepared, failure) -> new BatchPrepared(prepared));
      } else if (decision instanceof SignAndSend<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> block) {
        perform(pipeline.blockSent(signAndSend(block)));
      } else if (decision instanceof StartSync<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> start) {
        startSync(start.reason());
      } else if (decision instanceof ScheduleCut<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> schedule) {
        timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, schedule.after());
      } else if (decision instanceof CancelCut) {
        timers.cancel(CutBlock.INSTANCE);
      }
    }
    return this;
  }

  private void tellInParts(ActorRef<Outcomes> mempool, List<SubmitResult> results) {
    for (int from = 0; from < results.size(); from += OUTCOMES_PER_MESSAGE) {
      int to = Math.min(results.size(), from + OUTCOMES_PER_MESSAGE);
      mempool.tell(new Outcomes(List.copyOf(results.subList(from, to))));
    }
  }

  private BlockHeader signAndSend(SignAndSend<ActorRef<ChainReplica.Command>, ActorRef<Outcomes>> decision) {
    Block.Signed block = Block.sign(decision.parent(), decision.transactions(), decision.leaves(), nodeId, key,
        decision.timeMillis());
    byte[] encoded = block.encoding();
    Sha3Hash hash = block.hash();
    Collection<ActorRef<ChainReplica.Command>> targets = decision.targets();
    if (block.header().height() == withholdHeight) {
      getContext().getLog().warn("FAULT_INJECTED: block {} ({}) goes to this node's replica only", withholdHeight, hash);
      targets = List.of(ownReplica);
      withheld = hash;
    }
    for (ActorRef<ChainReplica.Command> replica : targets) {
      getContext().askWithStatus(ChainReplica.Appended.class, replica, replicaTimeout,
          replyTo -> new ChainReplica.AppendBlock(encoded, replyTo),
          (appended, failure) -> new AppendResult(replica, hash, appended != null,
              failure == null ? null : failure.getMessage()));
    }
    return block.header();
  }

  private void startSync(String reason) {
    if (reason != null) {
      getContext().getLog().warn("Producer on {}: {}", nodeId, reason);
    }
    getContext().ask(ReplicaSync.Synced.class, sync, askTimeout.multipliedBy(6), ReplicaSync.SyncNow::new,
        (synced, failure) -> new Synced(synced != null ? synced : new ReplicaSync.Synced(-1, String.valueOf(failure))));
  }
}
