package org.latticare.node.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Block;
import org.latticare.ledger.MlDsa65;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;

/**
 * Orders transactions into blocks for the whole consortium: a Cluster Singleton among the nodes with
 * role {@code producer}, each of which is listed as a producer in the genesis block.
 *
 * <p>Admitted transactions wait in a queue, deduplicated by (submitter, nonce). A block is cut when
 * {@code maxTransactions} (or {@code maxBlockBytes} of them) wait, or {@code maxDelay} after the first
 * arrived: the producer's own replica
 * filters the batch by the ledger's rules ({@link ChainReplica.PrepareBlock}) and gives its head; the
 * producer signs the block with its node's ML-DSA-65 key and sends it to every replica. A transaction
 * is reported committed only once a majority of replicas — counted over at least
 * {@code consortiumSize}, the producer's own among them — has persisted its block. One block is in
 * flight at a time. On start (and fail-over, when the singleton moves) the producer first brings its
 * own replica up to the highest head among the reachable replicas ({@link ReplicaSync}), so it never
 * builds on a stale head.
 */
public final class BlockProducer extends AbstractBehavior<BlockProducer.Command> {

  public interface Command extends CborSerializable {}

  /** An admitted transaction (canonical encoding) and whom to tell what became of it. */
  public record Enqueue(byte[] transaction, String hash, String submitter, long nonce,
      ActorRef<SubmitResult> replyTo) implements Command {}

  private enum CutBlock implements Command { INSTANCE }

  private record Synced(ReplicaSync.Synced result) implements Command {}

  private record BatchPrepared(ChainReplica.Prepared prepared, List<Pending> batch) implements Command {}

  private record AppendResult(ActorRef<ChainReplica.Command> replica, String blockHash, boolean persisted,
      String error) implements Command {}

  private record ReplicasChanged(Receptionist.Listing listing) implements Command {}

  private static final class Pending {
    final byte[] transaction;
    final String hash;
    final List<ActorRef<SubmitResult>> waiting = new ArrayList<>(1);

    Pending(byte[] transaction, String hash, ActorRef<SubmitResult> replyTo) {
      this.transaction = transaction;
      this.hash = hash;
      waiting.add(replyTo);
    }
  }

  private enum Mode { SYNCING, IDLE, PREPARING, COMMITTING }

  private final TimerScheduler<Command> timers;
  private final String nodeId;
  private final MlDsa65.KeyPair key;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final ActorRef<ReplicaSync.Command> sync;
  private final int consortiumSize;
  private final int maxTransactions;
  private final long maxBlockBytes;
  private long queuedBytes;
  private final Duration maxDelay;
  private final int maxPending;
  private final Duration askTimeout;
  private final LinkedHashMap<String, Pending> queue = new LinkedHashMap<>();
  private final Map<String, Pending> inBlock = new HashMap<>();
  private Set<ActorRef<ChainReplica.Command>> replicas = Set.of();
  private Mode mode = Mode.SYNCING;
  private Block block;
  private Set<ActorRef<ChainReplica.Command>> targets = Set.of();
  private final Set<ActorRef<ChainReplica.Command>> acknowledged = new HashSet<>();
  private final Set<ActorRef<ChainReplica.Command>> refused = new HashSet<>();

  public static Behavior<Command> create(String nodeId, MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica,
      ActorRef<ReplicaSync.Command> sync, int consortiumSize, int maxTransactions, long maxBlockBytes,
      Duration maxDelay, int maxPending, Duration askTimeout) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new BlockProducer(context, timers, nodeId, key,
        ownReplica, sync, consortiumSize, maxTransactions, maxBlockBytes, maxDelay, maxPending, askTimeout)));
  }

  private BlockProducer(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId,
      MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica, ActorRef<ReplicaSync.Command> sync,
      int consortiumSize, int maxTransactions, long maxBlockBytes, Duration maxDelay, int maxPending,
      Duration askTimeout) {
    super(context);
    this.maxBlockBytes = maxBlockBytes;
    this.timers = timers;
    this.nodeId = nodeId;
    this.key = key;
    this.ownReplica = ownReplica;
    this.sync = sync;
    this.consortiumSize = consortiumSize;
    this.maxTransactions = maxTransactions;
    this.maxDelay = maxDelay;
    this.maxPending = maxPending;
    this.askTimeout = askTimeout;
    ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, ReplicasChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(ChainReplica.SERVICE_KEY, adapter));
    startSync();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReplicasChanged.class, changed -> {
          replicas = Set.copyOf(changed.listing().getServiceInstances(ChainReplica.SERVICE_KEY));
          return this;
        })
        .onMessage(Enqueue.class, this::onEnqueue)
        .onMessage(Synced.class, this::onSynced)
        .onMessageEquals(CutBlock.INSTANCE, this::onCut)
        .onMessage(BatchPrepared.class, this::onPrepared)
        .onMessage(AppendResult.class, this::onAppendResult)
        .build();
  }

  private void startSync() {
    mode = Mode.SYNCING;
    getContext().ask(ReplicaSync.Synced.class, sync, askTimeout.multipliedBy(6), ReplicaSync.SyncNow::new,
        (synced, failure) -> new Synced(synced != null ? synced : new ReplicaSync.Synced(-1, String.valueOf(failure))));
  }

  private Behavior<Command> onSynced(Synced synced) {
    if (synced.result().height() < 0) {
      getContext().getLog().warn("Producer on {} could not sync its replica ({}); retrying", nodeId,
          synced.result().problem());
      startSync();
      return this;
    }
    getContext().getLog().info("Producer on {} resumes at height {}", nodeId, synced.result().height());
    mode = Mode.IDLE;
    scheduleCut();
    return this;
  }

  private Behavior<Command> onEnqueue(Enqueue enqueue) {
    String nonceKey = enqueue.submitter() + '\n' + enqueue.nonce();
    Pending existing = queue.containsKey(nonceKey) ? queue.get(nonceKey) : inBlock.get(nonceKey);
    if (existing != null) {
      if (existing.hash.equals(enqueue.hash())) {
        existing.waiting.add(enqueue.replyTo());
      } else {
        enqueue.replyTo().tell(SubmitResult.refused(enqueue.hash(), "nonce " + enqueue.nonce() + " of '"
            + enqueue.submitter() + "' is already used by a pending transaction"));
      }
      return this;
    }
    if (queue.size() >= maxPending) {
      enqueue.replyTo().tell(SubmitResult.unavailable(enqueue.hash(), "the producer's queue is full; retry later"));
      return this;
    }
    queue.put(nonceKey, new Pending(enqueue.transaction(), enqueue.hash(), enqueue.replyTo()));
    queuedBytes += enqueue.transaction().length;
    if (mode == Mode.IDLE) {
      if (batchReady()) {
        return onCut();
      }
      scheduleCut();
    }
    return this;
  }

  private boolean batchReady() {
    return queue.size() >= maxTransactions || queuedBytes >= maxBlockBytes;
  }

  private void scheduleCut() {
    if (!queue.isEmpty() && !timers.isTimerActive(CutBlock.INSTANCE)) {
      timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, maxDelay);
    }
  }

  private Behavior<Command> onCut() {
    timers.cancel(CutBlock.INSTANCE);
    if (mode != Mode.IDLE || queue.isEmpty()) {
      return this;
    }
    if (knownReplicas().size() < majority(knownReplicas().size())) {
      // Too few replicas known (the Receptionist is still gossiping, or a majority is gone): a block
      // could not commit, so wait rather than fail the transactions.
      timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, maxDelay.multipliedBy(10));
      return this;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxTransactions));
    long batchBytes = 0;
    Iterator<Map.Entry<String, Pending>> entries = queue.entrySet().iterator();
    while (entries.hasNext() && batch.size() < maxTransactions) {
      Map.Entry<String, Pending> entry = entries.next();
      int size = entry.getValue().transaction.length;
      if (!batch.isEmpty() && batchBytes + size > maxBlockBytes) {
        break;
      }
      batchBytes += size;
      batch.add(entry.getValue());
      inBlock.put(entry.getKey(), entry.getValue());
      entries.remove();
    }
    queuedBytes -= batchBytes;
    mode = Mode.PREPARING;
    List<byte[]> candidates = batch.stream().map(p -> p.transaction).toList();
    getContext().ask(ChainReplica.Prepared.class, ownReplica, askTimeout,
        replyTo -> new ChainReplica.PrepareBlock(candidates, replyTo),
        (prepared, failure) -> new BatchPrepared(prepared, batch));
    return this;
  }

  private Behavior<Command> onPrepared(BatchPrepared prepared) {
    if (prepared.prepared() == null) {
      fail(prepared.batch(), "this producer's replica did not answer");
      return this;
    }
    Map<String, Pending> byHash = new HashMap<>();
    prepared.batch().forEach(p -> byHash.put(p.hash, p));
    for (ChainReplica.Refused refusal : prepared.prepared().refused()) {
      Pending pending = byHash.remove(refusal.transactionHash());
      if (pending != null) {
        pending.waiting.forEach(w -> w.tell(SubmitResult.refused(pending.hash, refusal.reason())));
      }
    }
    inBlock.values().removeIf(p -> !byHash.containsKey(p.hash));
    if (prepared.prepared().accepted().isEmpty()) {
      mode = Mode.IDLE;
      return onCut();
    }
    List<Transaction> transactions = prepared.prepared().accepted().stream().map(Transaction::decode).toList();
    block = Block.produce(Block.decode(prepared.prepared().head()), transactions, nodeId, key,
        System.currentTimeMillis());
    byte[] encoded = block.encode();
    targets = knownReplicas();
    acknowledged.clear();
    refused.clear();
    mode = Mode.COMMITTING;
    String blockHash = block.hash().hex();
    for (ActorRef<ChainReplica.Command> replica : targets) {
      getContext().askWithStatus(ChainReplica.Appended.class, replica, askTimeout,
          replyTo -> new ChainReplica.AppendBlock(encoded, replyTo),
          (appended, failure) -> new AppendResult(replica, blockHash, appended != null,
              failure == null ? null : failure.getMessage()));
    }
    return this;
  }

  private Behavior<Command> onAppendResult(AppendResult result) {
    if (mode != Mode.COMMITTING || !result.blockHash().equals(block.hash().hex())) {
      return this;
    }
    if (result.persisted()) {
      acknowledged.add(result.replica());
    } else {
      refused.add(result.replica());
      getContext().getLog().warn("Replica {} did not persist block {}: {}", result.replica().path(), block.height(),
          result.error());
    }
    int counted = Math.max(targets.size(), consortiumSize);
    int majority = majority(targets.size());
    if (acknowledged.size() >= majority && acknowledged.contains(ownReplica)) {
      String blockHash = block.hash().hex();
      for (Pending pending : inBlock.values()) {
        pending.waiting.forEach(w -> w.tell(SubmitResult.committed(pending.hash, block.height(), blockHash)));
      }
      inBlock.clear();
      mode = Mode.IDLE;
      if (batchReady()) {
        return onCut();
      }
      scheduleCut();
      return this;
    }
    if (refused.contains(ownReplica) || targets.size() - refused.size() < majority) {
      fail(new ArrayList<>(inBlock.values()), "block " + block.height() + " was persisted by " + acknowledged.size()
          + " of " + counted + " replicas, short of a majority");
    }
    return this;
  }

  private Set<ActorRef<ChainReplica.Command>> knownReplicas() {
    Set<ActorRef<ChainReplica.Command>> known = new HashSet<>(replicas);
    known.add(ownReplica);
    return known;
  }

  /** A majority of the replicas, counted over at least the consortium's size. */
  private int majority(int replicaCount) {
    return Math.max(replicaCount, consortiumSize) / 2 + 1;
  }

  /** The block's fate is unknown to its submitters: say so, then resync before producing again. */
  private void fail(List<Pending> batch, String reason) {
    getContext().getLog().warn("Producer on {}: {}", nodeId, reason);
    for (Pending pending : batch) {
      pending.waiting.forEach(w -> w.tell(SubmitResult.unavailable(pending.hash, reason
          + "; look the transaction up by hash before resubmitting")));
    }
    inBlock.clear();
    startSync();
  }
}
