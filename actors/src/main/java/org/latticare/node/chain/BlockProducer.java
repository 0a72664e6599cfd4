package org.latticare.node.chain;

import java.time.Duration;
import java.util.ArrayDeque;
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
import org.latticare.ledger.BlockHeader;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.Rejection;

/**
 * Orders transactions into blocks for the whole consortium: a Cluster Singleton among the nodes with
 * role {@code producer}, each of which is listed as a producer in the genesis block.
 *
 * <p>Admitted transactions wait in a queue, deduplicated by (submitter, nonce). A block is cut when
 * {@code maxTransactions} (or {@code maxBlockBytes} of them) wait, or {@code maxDelay} after the first
 * arrived: the producer's own replica filters the batch by the ledger's rules
 * ({@link ChainReplica.PrepareBlock}) and gives its head; the producer signs the block with its node's
 * ML-DSA-65 key and sends it to every replica. A transaction is reported committed only once a
 * majority of replicas — counted over at least {@code consortiumSize}, the producer's own among them —
 * has persisted its block, and blocks commit in height order.
 *
 * <p>Up to {@code maxInFlight} blocks are in flight at once, so that replicas verify the next block
 * while the previous one is written and acknowledged. The next batch is prepared behind the previous
 * block in the own replica's mailbox, so it is checked against a state that includes that block; a
 * head other than the last block sent means the own replica refused it, and every block in flight
 * then fails. On start, and after any failure or fail-over, the producer first brings its own
 * replica up to the highest head among the reachable replicas ({@link ReplicaSync}), so it never
 * builds on a stale head.
 */
public final class BlockProducer extends AbstractBehavior<BlockProducer.Command> {

  public interface Command extends CborSerializable {}

  /** When to cut a block and how much may wait. */
  public record Limits(int maxTransactions, long maxBlockBytes, Duration maxDelay, int maxPending, int maxInFlight) {
    public Limits {
      if (maxTransactions < 1 || maxBlockBytes < 1 || maxPending < 1 || maxInFlight < 1) {
        throw new IllegalArgumentException("producer limits must be at least 1");
      }
    }
  }

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

  private record BatchPrepared(ChainReplica.Prepared prepared, List<Pending> batch, int epoch) implements Command {}

  private record AppendResult(ActorRef<ChainReplica.Command> replica, String blockHash, boolean persisted,
      String error) implements Command {}

  private record ReplicasChanged(Receptionist.Listing listing) implements Command {}

  private static final class Pending {
    final byte[] transaction;
    final String hash;
    /** The Merkle leaf, from the admitting mempool's hash: replicas recompute it, so a wrong one fails the block. */
    final Sha3Hash leaf;
    final String nonceKey;
    final List<ActorRef<Outcomes>> waiting = new ArrayList<>(1);

    Pending(byte[] transaction, String hash, String nonceKey, ActorRef<Outcomes> replyTo) {
      this.transaction = transaction;
      this.hash = hash;
      this.leaf = Sha3Hash.fromHex(hash);
      this.nonceKey = nonceKey;
      waiting.add(replyTo);
    }
  }

  /** Outcomes gathered per mempool, then sent to each in messages of at most {@link #PER_MESSAGE}. */
  private static final class Replies {
    /** About 200 bytes each: a message stays well inside Artery's ordinary 256 KiB frame. */
    static final int PER_MESSAGE = 256;

    private final Map<ActorRef<Outcomes>, List<SubmitResult>> byMempool = new HashMap<>();

    void add(ActorRef<Outcomes> mempool, SubmitResult result) {
      byMempool.computeIfAbsent(mempool, k -> new ArrayList<>()).add(result);
    }

    void add(Pending pending, SubmitResult result) {
      pending.waiting.forEach(mempool -> add(mempool, result));
    }

    void send() {
      byMempool.forEach((mempool, results) -> {
        for (int from = 0; from < results.size(); from += PER_MESSAGE) {
          mempool.tell(new Outcomes(List.copyOf(results.subList(from, Math.min(results.size(), from + PER_MESSAGE)))));
        }
      });
    }
  }

  /** A block sent to the replicas and not yet committed. */
  private static final class InFlight {
    final BlockHeader header;
    final Sha3Hash blockHash;
    final String hash;
    final List<Pending> transactions;
    final Set<ActorRef<ChainReplica.Command>> targets;
    final Set<ActorRef<ChainReplica.Command>> acknowledged = new HashSet<>();
    final Set<ActorRef<ChainReplica.Command>> refused = new HashSet<>();

    InFlight(Block.Signed block, List<Pending> transactions, Set<ActorRef<ChainReplica.Command>> targets) {
      this.header = block.header();
      this.blockHash = block.hash();
      this.hash = blockHash.hex();
      this.transactions = transactions;
      this.targets = targets;
    }
  }

  private final TimerScheduler<Command> timers;
  private final String nodeId;
  private final MlDsa65.KeyPair key;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final ActorRef<ReplicaSync.Command> sync;
  private final int consortiumSize;
  private final Limits limits;
  private final Duration askTimeout;
  private final LinkedHashMap<String, Pending> queue = new LinkedHashMap<>();
  private long queuedBytes;
  /** Every transaction taken from the queue and not yet answered, by nonce key: what deduplication sees. */
  private final Map<String, Pending> taken = new HashMap<>();
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private Set<ActorRef<ChainReplica.Command>> replicas = Set.of();
  private boolean syncing;
  private boolean preparing;
  /** Bumped on every failure, so that a batch prepared before it is not built on what failed. */
  private int epoch;

  public static Behavior<Command> create(String nodeId, MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica,
      ActorRef<ReplicaSync.Command> sync, int consortiumSize, Limits limits, Duration askTimeout) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new BlockProducer(context, timers, nodeId, key,
        ownReplica, sync, consortiumSize, limits, askTimeout)));
  }

  private BlockProducer(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId,
      MlDsa65.KeyPair key, ActorRef<ChainReplica.Command> ownReplica, ActorRef<ReplicaSync.Command> sync,
      int consortiumSize, Limits limits, Duration askTimeout) {
    super(context);
    this.timers = timers;
    this.nodeId = nodeId;
    this.key = key;
    this.ownReplica = ownReplica;
    this.sync = sync;
    this.consortiumSize = consortiumSize;
    this.limits = limits;
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
    syncing = true;
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
    syncing = false;
    return cutIfReady();
  }

  private Behavior<Command> onEnqueue(Enqueue enqueue) {
    Replies replies = new Replies();
    for (Admitted admitted : enqueue.transactions()) {
      String nonceKey = admitted.submitter() + '\n' + admitted.nonce();
      Pending existing = queue.containsKey(nonceKey) ? queue.get(nonceKey) : taken.get(nonceKey);
      if (existing != null) {
        if (existing.hash.equals(admitted.hash())) {
          existing.waiting.add(enqueue.replyTo());
        } else {
          replies.add(enqueue.replyTo(), SubmitResult.refused(admitted.hash(), Rejection.of(Rejection.Code.NONCE_REPLAYED,
              "nonce " + admitted.nonce() + " of '" + admitted.submitter() + "' is already used by a pending transaction")));
        }
      } else if (queue.size() >= limits.maxPending()) {
        replies.add(enqueue.replyTo(), SubmitResult.busy(admitted.hash(), "the producer's queue is full; retry later"));
      } else {
        queue.put(nonceKey, new Pending(admitted.transaction(), admitted.hash(), nonceKey, enqueue.replyTo()));
        queuedBytes += admitted.transaction().length;
      }
    }
    replies.send();
    return cutIfReady();
  }

  /** Cuts a full batch at once if a block may start now; otherwise makes sure a partial one is cut in time. */
  private Behavior<Command> cutIfReady() {
    if (canStartBlock() && (queue.size() >= limits.maxTransactions() || queuedBytes >= limits.maxBlockBytes())) {
      return onCut();
    }
    if (!queue.isEmpty() && !timers.isTimerActive(CutBlock.INSTANCE)) {
      timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, limits.maxDelay());
    }
    return this;
  }

  private boolean canStartBlock() {
    return !syncing && !preparing && inFlight.size() < limits.maxInFlight();
  }

  private Behavior<Command> onCut() {
    timers.cancel(CutBlock.INSTANCE);
    if (queue.isEmpty()) {
      return this;
    }
    if (!canStartBlock()) {
      // cut again when the block ahead commits or the sync ends; this timer only guards a partial batch
      timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, limits.maxDelay());
      return this;
    }
    if (knownReplicas().size() < majority(knownReplicas().size())) {
      // Too few replicas known (the Receptionist is still gossiping, or a majority is gone): a block
      // could not commit, so wait rather than fail the transactions.
      timers.startSingleTimer(CutBlock.INSTANCE, CutBlock.INSTANCE, limits.maxDelay().multipliedBy(10));
      return this;
    }
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), limits.maxTransactions()));
    long batchBytes = 0;
    Iterator<Map.Entry<String, Pending>> entries = queue.entrySet().iterator();
    while (entries.hasNext() && batch.size() < limits.maxTransactions()) {
      Pending pending = entries.next().getValue();
      int size = pending.transaction.length;
      if (!batch.isEmpty() && batchBytes + size > limits.maxBlockBytes()) {
        break;
      }
      batchBytes += size;
      batch.add(pending);
      taken.put(pending.nonceKey, pending);
      entries.remove();
    }
    queuedBytes -= batchBytes;
    preparing = true;
    List<byte[]> candidates = batch.stream().map(p -> p.transaction).toList();
    int preparedIn = epoch;
    // Sent after the last block's AppendBlock, so the own replica checks this batch on top of it.
    getContext().ask(ChainReplica.Prepared.class, ownReplica, askTimeout.multipliedBy(limits.maxInFlight()),
        replyTo -> new ChainReplica.PrepareBlock(candidates, System.currentTimeMillis(), replyTo),
        (prepared, failure) -> new BatchPrepared(prepared, batch, preparedIn));
    return this;
  }

  private Behavior<Command> onPrepared(BatchPrepared prepared) {
    preparing = false;
    if (prepared.epoch() != epoch || syncing) {
      // A block ahead failed while this batch was being checked: it went nowhere, so it simply waits again.
      requeue(prepared.batch());
      return cutIfReady();
    }
    if (prepared.prepared() == null) {
      failAll(prepared.batch(), "this producer's replica did not answer");
      return this;
    }
    BlockHeader parent = BlockHeader.decode(prepared.prepared().headHeader());
    if (!inFlight.isEmpty() && !parent.hash().equals(inFlight.peekLast().blockHash)) {
      failAll(prepared.batch(), "this producer's replica did not append block " + inFlight.peekLast().header.height());
      return this;
    }
    List<Pending> batch = prepared.batch();
    Replies refusals = new Replies();
    for (ChainReplica.Refused refusal : prepared.prepared().refused()) {
      Pending pending = batch.get(refusal.position());
      taken.remove(pending.nonceKey);
      refusals.add(pending, SubmitResult.refused(pending.hash, refusal.rejection()));
    }
    refusals.send();
    if (prepared.prepared().accepted().isEmpty()) {
      return cutIfReady();
    }
    List<Pending> inBlock = prepared.prepared().accepted().stream().map(batch::get).toList();
    Block.Signed block = Block.sign(parent, inBlock.stream().map(p -> p.transaction).toList(),
        inBlock.stream().map(p -> p.leaf).toList(), nodeId, key, prepared.prepared().timeMillis());
    byte[] encoded = block.encoding();
    InFlight sent = new InFlight(block, inBlock, knownReplicas());
    inFlight.addLast(sent);
    for (ActorRef<ChainReplica.Command> replica : sent.targets) {
      getContext().askWithStatus(ChainReplica.Appended.class, replica, askTimeout.multipliedBy(limits.maxInFlight()),
          replyTo -> new ChainReplica.AppendBlock(encoded, replyTo),
          (appended, failure) -> new AppendResult(replica, sent.hash, appended != null,
              failure == null ? null : failure.getMessage()));
    }
    return cutIfReady();
  }

  private Behavior<Command> onAppendResult(AppendResult result) {
    InFlight block = inFlight.stream().filter(b -> b.hash.equals(result.blockHash())).findFirst().orElse(null);
    if (block == null) {
      return this;
    }
    if (result.persisted()) {
      block.acknowledged.add(result.replica());
    } else {
      block.refused.add(result.replica());
      getContext().getLog().warn("Replica {} did not persist block {}: {}", result.replica().path(),
          block.header.height(), result.error());
    }
    int majority = majority(block.targets.size());
    if (block.refused.contains(ownReplica) || block.targets.size() - block.refused.size() < majority) {
      failAll(List.of(), "block " + block.header.height() + " was persisted by " + block.acknowledged.size() + " of "
          + Math.max(block.targets.size(), consortiumSize) + " replicas, short of a majority");
      return this;
    }
    Replies commits = new Replies();
    while (!inFlight.isEmpty() && committed(inFlight.peekFirst())) {
      InFlight done = inFlight.removeFirst();
      for (Pending pending : done.transactions) {
        taken.remove(pending.nonceKey);
        commits.add(pending, SubmitResult.committed(pending.hash, done.header.height(), done.hash));
      }
    }
    commits.send();
    return cutIfReady();
  }

  private boolean committed(InFlight block) {
    return block.acknowledged.size() >= majority(block.targets.size()) && block.acknowledged.contains(ownReplica);
  }

  private void requeue(List<Pending> batch) {
    for (Pending pending : batch) {
      taken.remove(pending.nonceKey);
      queue.put(pending.nonceKey, pending);
      queuedBytes += pending.transaction.length;
    }
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

  /**
   * A block's fate is unknown to its submitters, and so is every block built on it: say so to all
   * of them (and to the batch being built, if any), then resync before producing again.
   */
  private void failAll(List<Pending> batch, String reason) {
    getContext().getLog().warn("Producer on {}: {}", nodeId, reason);
    List<Pending> unknown = new ArrayList<>(batch);
    inFlight.forEach(block -> unknown.addAll(block.transactions));
    Replies replies = new Replies();
    for (Pending pending : unknown) {
      taken.remove(pending.nonceKey);
      replies.add(pending, SubmitResult.unknown(pending.hash, reason
          + "; look the transaction up by hash before resubmitting"));
    }
    replies.send();
    inFlight.clear();
    epoch++;
    startSync();
  }
}
