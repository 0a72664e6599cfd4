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
import java.util.Objects;
import java.util.Set;

import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.rules.Rejection;

/**
 * The block producer's decisions, without the actor that carries them out: which transactions wait,
 * when a batch is cut, what goes into a block, when a block commits or fails, when to resync. Every
 * method takes one event and returns what to do, in order, as {@link Decision} values; the
 * {@link BlockProducer} actor only performs them (asks, tells, timers, signing). Nothing here waits,
 * sends or reads a clock, so a producer bug is a microsecond unit test.
 *
 * <p>The rules:
 * <ul>
 *   <li>Admitted transactions wait in a queue deduplicated by (submitter, nonce), over the queue and
 *       every transaction taken from it and not yet answered: the same hash adds a waiter, another hash
 *       is refused {@link Rejection.Code#NONCE_REPLAYED}, a full queue answers {@link SubmitResult#BUSY}.</li>
 *   <li>A batch is cut at {@code maxTransactions}, at {@code maxBlockBytes} or {@code maxDelay} after
 *       a transaction arrived ({@link ScheduleCut}), and only when no sync or preparation is under way,
 *       fewer than {@code maxInFlight} blocks are in flight and a majority of replicas is known; the
 *       own replica then checks it by the ledger's rules ({@link Prepare}).</li>
 *   <li>A prepared batch whose head is the last block sent becomes the next block ({@link SignAndSend};
 *       the caller reports the signed header with {@link #blockSent}); its refusals go to their waiters.
 *       A batch prepared before a failure went nowhere and simply waits again.</li>
 *   <li>A block commits once a majority of replicas, counted over at least {@code consortiumSize} and
 *       the own replica among them, has persisted it, and blocks commit in height order. A block refused
 *       by the own replica or by too many to reach a majority fails, and so does everything in flight
 *       with it: every waiter hears {@link SubmitResult#UNKNOWN_OUTCOME} and the own replica is brought
 *       up to the highest reachable head ({@link StartSync}) before anything else is produced.</li>
 * </ul>
 *
 * <p>Mutable, unlike {@code zkp-protocol}'s immutable session machines: it holds thousands of queued
 * transactions and is owned by one actor, so copying it per event would buy nothing.
 *
 * @param <R> how the caller names a replica (an actor reference)
 * @param <W> where outcomes go (a mempool's reply target)
 */
public final class ProducerPipeline<R, W> {

  /** When to cut a block and how much may wait. */
  public record Limits(int maxTransactions, long maxBlockBytes, Duration maxDelay, int maxPending, int maxInFlight) {
    public Limits {
      if (maxTransactions < 1 || maxBlockBytes < 1 || maxPending < 1 || maxInFlight < 1) {
        throw new IllegalArgumentException("producer limits must be at least 1");
      }
      Objects.requireNonNull(maxDelay);
    }
  }

  /** A transaction a mempool admitted: its canonical encoding, hash (hex) and (submitter, nonce). */
  public record Candidate(byte[] transaction, String hash, String submitter, long nonce) {}

  /** The own replica's refusal of the candidate at {@code position} of the batch it was asked to prepare. */
  public record Refused(int position, Rejection rejection) {}

  /** What the caller must do, in the order returned. */
  public sealed interface Decision<R, W> {}

  /** Tell {@code to} what became of some of its transactions. */
  public record Reply<R, W>(W to, List<SubmitResult> results) implements Decision<R, W> {}

  /**
   * Ask the own replica to check {@code candidates}, in order, on top of its head, and report with
   * {@link ProducerPipeline#batchPrepared} or {@link ProducerPipeline#preparationFailed}. Sent after the
   * last block's append, so that head includes the last block sent.
   */
  public record Prepare<R, W>(List<byte[]> candidates) implements Decision<R, W> {}

  /**
   * Sign the block that follows {@code parent} with these transactions (and their Merkle leaves), dated
   * {@code timeMillis}, send it to every target and report its header with
   * {@link ProducerPipeline#blockSent} before anything else: nothing is produced until then.
   */
  public record SignAndSend<R, W>(BlockHeader parent, long timeMillis, List<byte[]> transactions,
      List<Sha3Hash> leaves, Set<R> targets) implements Decision<R, W> {}

  /**
   * Bring the own replica up to the highest reachable head and report with
   * {@link ProducerPipeline#syncFinished} or {@link ProducerPipeline#syncFailed}. {@code reason} says what
   * went wrong first; null when the producer starts.
   */
  public record StartSync<R, W>(String reason) implements Decision<R, W> {}

  /** Report {@link ProducerPipeline#cutTimerFired} after {@code after}, replacing any cut already scheduled. */
  public record ScheduleCut<R, W>(Duration after) implements Decision<R, W> {}

  /** Forget the cut scheduled earlier. */
  public record CancelCut<R, W>() implements Decision<R, W> {}

  /** How long to wait before trying again when too few replicas are known for a block to commit. */
  private static final int FEW_REPLICAS_DELAYS = 10;

  private final class Pending {
    final byte[] transaction;
    final String hash;
    /** The Merkle leaf, from the admitting mempool's hash: replicas recompute it, so a wrong one fails the block. */
    final Sha3Hash leaf;
    final String nonceKey;
    final List<W> waiting = new ArrayList<>(1);

    Pending(Candidate candidate, String nonceKey, W replyTo) {
      this.transaction = candidate.transaction();
      this.hash = candidate.hash();
      this.leaf = Sha3Hash.fromHex(candidate.hash());
      this.nonceKey = nonceKey;
      waiting.add(replyTo);
    }
  }

  /** A block sent to the replicas (or being signed) and not yet committed. */
  private final class InFlight {
    final long height;
    final List<Pending> transactions;
    final Set<R> targets;
    final Set<R> acknowledged = new HashSet<>();
    final Set<R> refused = new HashSet<>();
    /** Null until the caller reports the signed header. */
    Sha3Hash hash;

    InFlight(long height, List<Pending> transactions, Set<R> targets) {
      this.height = height;
      this.transactions = transactions;
      this.targets = targets;
    }

    boolean committed() {
      return acknowledged.size() >= majority(targets.size()) && acknowledged.contains(ownReplica);
    }

    boolean failed() {
      return refused.contains(ownReplica) || targets.size() - refused.size() < majority(targets.size());
    }
  }

  /** Decisions of one event: replies grouped per target (in the order first met), then the actions. */
  private final class Decisions {
    private final Map<W, List<SubmitResult>> replies = new LinkedHashMap<>();
    private final List<Decision<R, W>> actions = new ArrayList<>();

    void reply(W to, SubmitResult result) {
      replies.computeIfAbsent(to, k -> new ArrayList<>()).add(result);
    }

    void reply(Pending pending, SubmitResult result) {
      pending.waiting.forEach(to -> reply(to, result));
    }

    void act(Decision<R, W> action) {
      actions.add(action);
    }

    List<Decision<R, W>> list() {
      List<Decision<R, W>> all = new ArrayList<>(replies.size() + actions.size());
      replies.forEach((to, results) -> all.add(new Reply<>(to, List.copyOf(results))));
      all.addAll(actions);
      return all;
    }
  }

  private final R ownReplica;
  private final int consortiumSize;
  private final Limits limits;
  private final LinkedHashMap<String, Pending> queue = new LinkedHashMap<>();
  private long queuedBytes;
  /** Every transaction taken from the queue and not yet answered, by nonce key: what deduplication sees. */
  private final Map<String, Pending> taken = new HashMap<>();
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private Set<R> replicas = Set.of();
  private boolean syncing = true;
  /** Bumped on every failure, so that a batch prepared before it is not built on what failed. */
  private int epoch;
  /** The batch the own replica is checking (at most one at a time), and the epoch it was cut in. */
  private List<Pending> preparing;
  private int preparingSince;
  private boolean cutScheduled;

  /**
   * @param ownReplica     the replica on the producer's node, which prepares every batch and must
   *                       persist every block that commits
   * @param consortiumSize the consortium's members: a majority is never counted over fewer replicas
   */
  public ProducerPipeline(R ownReplica, int consortiumSize, Limits limits) {
    this.ownReplica = Objects.requireNonNull(ownReplica);
    this.consortiumSize = consortiumSize;
    this.limits = Objects.requireNonNull(limits);
  }

  /** The producer starts: nothing is produced before its replica has caught up. */
  public List<Decision<R, W>> start() {
    Decisions out = new Decisions();
    startSync(out, null);
    return out.list();
  }

  /** The replicas currently registered (the own one counts whether listed or not). */
  public void replicasChanged(Set<R> registered) {
    replicas = Set.copyOf(registered);
  }

  /** Transactions one mempool admitted, in order; their outcomes go to {@code replyTo}. */
  public List<Decision<R, W>> transactionsEnqueued(List<Candidate> candidates, W replyTo) {
    Decisions out = new Decisions();
    for (Candidate candidate : candidates) {
      String nonceKey = candidate.submitter() + '\n' + candidate.nonce();
      Pending existing = queue.containsKey(nonceKey) ? queue.get(nonceKey) : taken.get(nonceKey);
      if (existing != null) {
        if (existing.hash.equals(candidate.hash())) {
          existing.waiting.add(replyTo);
        } else {
          out.reply(replyTo, SubmitResult.refused(candidate.hash(), Rejection.of(Rejection.Code.NONCE_REPLAYED,
              "nonce " + candidate.nonce() + " of '" + candidate.submitter()
                  + "' is already used by a pending transaction")));
        }
      } else if (queue.size() >= limits.maxPending()) {
        out.reply(replyTo, SubmitResult.busy(candidate.hash(), "the producer's queue is full; retry later"));
      } else {
        queue.put(nonceKey, new Pending(candidate, nonceKey, replyTo));
        queuedBytes += candidate.transaction().length;
      }
    }
    cutIfReady(out);
    return out.list();
  }

  /** The cut scheduled by {@link ScheduleCut} is due. */
  public List<Decision<R, W>> cutTimerFired() {
    cutScheduled = false;
    Decisions out = new Decisions();
    cut(out);
    return out.list();
  }

  /**
   * The own replica checked the batch of the last {@link Prepare}: {@code head} is its head, the
   * candidates at {@code accepted} positions pass the rules in that order, those in {@code refused} do not.
   */
  public List<Decision<R, W>> batchPrepared(BlockHeader head, long timeMillis, List<Integer> accepted,
      List<Refused> refused) {
    Decisions out = new Decisions();
    List<Pending> batch = takePrepared(out);
    if (batch == null) {
      return out.list();
    }
    InFlight last = inFlight.peekLast();
    if (last != null && !head.hash().equals(last.hash)) {
      failAll(out, batch, "this producer's replica did not append block " + last.height);
      return out.list();
    }
    for (Refused refusal : refused) {
      Pending pending = batch.get(refusal.position());
      taken.remove(pending.nonceKey);
      out.reply(pending, SubmitResult.refused(pending.hash, refusal.rejection()));
    }
    if (accepted.isEmpty()) {
      cutIfReady(out);
      return out.list();
    }
    List<Pending> inBlock = accepted.stream().map(batch::get).toList();
    InFlight block = new InFlight(head.height() + 1, inBlock, knownReplicas());
    inFlight.addLast(block);
    out.act(new SignAndSend<>(head, timeMillis, inBlock.stream().map(p -> p.transaction).toList(),
        inBlock.stream().map(p -> p.leaf).toList(), block.targets));
    return out.list();
  }

  /** The own replica did not answer the last {@link Prepare}. */
  public List<Decision<R, W>> preparationFailed() {
    Decisions out = new Decisions();
    List<Pending> batch = takePrepared(out);
    if (batch != null) {
      failAll(out, batch, "this producer's replica did not answer");
    }
    return out.list();
  }

  /** The block of the last {@link SignAndSend} was signed (this is its header) and sent. */
  public List<Decision<R, W>> blockSent(BlockHeader header) {
    InFlight last = inFlight.peekLast();
    if (last == null || last.hash != null || header.height() != last.height) {
      throw new IllegalStateException("no block of height " + header.height() + " is waiting to be signed");
    }
    last.hash = header.hash();
    Decisions out = new Decisions();
    cutIfReady(out);
    return out.list();
  }

  /** {@code replica} persisted the block with this hash. */
  public List<Decision<R, W>> appendAcknowledged(Sha3Hash blockHash, R replica) {
    return appendAnswered(blockHash, replica, true);
  }

  /** {@code replica} refused the block with this hash, or did not answer in time. */
  public List<Decision<R, W>> appendRefused(Sha3Hash blockHash, R replica) {
    return appendAnswered(blockHash, replica, false);
  }

  /** The own replica caught up: production resumes. */
  public List<Decision<R, W>> syncFinished() {
    syncing = false;
    Decisions out = new Decisions();
    cutIfReady(out);
    return out.list();
  }

  /** The own replica could not catch up: try again, producing nothing meanwhile. */
  public List<Decision<R, W>> syncFailed(String problem) {
    Decisions out = new Decisions();
    startSync(out, "could not sync this producer's replica (" + problem + "); retrying");
    return out.list();
  }

  /** Transactions waiting to be cut into a batch. */
  public int queued() {
    return queue.size();
  }

  /** Blocks sent (or being signed) and not yet committed. */
  public int blocksInFlight() {
    return inFlight.size();
  }

  public boolean syncing() {
    return syncing;
  }

  private List<Decision<R, W>> appendAnswered(Sha3Hash blockHash, R replica, boolean persisted) {
    Decisions out = new Decisions();
    InFlight block = inFlight.stream().filter(b -> blockHash.equals(b.hash)).findFirst().orElse(null);
    if (block == null) {
      return out.list();
    }
    (persisted ? block.acknowledged : block.refused).add(replica);
    if (block.failed()) {
      failAll(out, List.of(), "block " + block.height + " was persisted by " + block.acknowledged.size() + " of "
          + Math.max(block.targets.size(), consortiumSize) + " replicas, short of a majority");
      return out.list();
    }
    while (!inFlight.isEmpty() && inFlight.peekFirst().committed()) {
      InFlight done = inFlight.removeFirst();
      for (Pending pending : done.transactions) {
        taken.remove(pending.nonceKey);
        out.reply(pending, SubmitResult.committed(pending.hash, done.height, done.hash.hex()));
      }
    }
    cutIfReady(out);
    return out.list();
  }

  /** The batch being prepared, or null if it was cut before a failure (it then waits in the queue again). */
  private List<Pending> takePrepared(Decisions out) {
    if (preparing == null) {
      throw new IllegalStateException("no batch is being prepared");
    }
    List<Pending> batch = preparing;
    preparing = null;
    if (preparingSince != epoch || syncing) {
      requeue(batch);
      cutIfReady(out);
      return null;
    }
    return batch;
  }

  /** Cuts a full batch at once if a block may start now; otherwise makes sure a partial one is cut in time. */
  private void cutIfReady(Decisions out) {
    if (canStartBlock() && (queue.size() >= limits.maxTransactions() || queuedBytes >= limits.maxBlockBytes())) {
      cut(out);
    } else if (!queue.isEmpty() && !cutScheduled) {
      scheduleCut(out, limits.maxDelay());
    }
  }

  private boolean canStartBlock() {
    return !syncing && preparing == null && inFlight.size() < limits.maxInFlight();
  }

  private void cut(Decisions out) {
    if (queue.isEmpty()) {
      cancelCut(out);
      return;
    }
    if (!canStartBlock()) {
      // cut again when the block ahead commits or the sync ends; this timer only guards a partial batch
      scheduleCut(out, limits.maxDelay());
      return;
    }
    Set<R> known = knownReplicas();
    if (known.size() < majority(known.size())) {
      // Too few replicas known (the Receptionist is still gossiping, or a majority is gone): a block
      // could not commit, so wait rather than fail the transactions.
      scheduleCut(out, limits.maxDelay().multipliedBy(FEW_REPLICAS_DELAYS));
      return;
    }
    cancelCut(out);
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), limits.maxTransactions()));
    long batchBytes = 0;
    Iterator<Pending> pendings = queue.values().iterator();
    while (pendings.hasNext() && batch.size() < limits.maxTransactions()) {
      Pending pending = pendings.next();
      int size = pending.transaction.length;
      if (!batch.isEmpty() && batchBytes + size > limits.maxBlockBytes()) {
        break;
      }
      batchBytes += size;
      batch.add(pending);
      taken.put(pending.nonceKey, pending);
      pendings.remove();
    }
    queuedBytes -= batchBytes;
    preparing = batch;
    preparingSince = epoch;
    out.act(new Prepare<>(batch.stream().map(p -> p.transaction).toList()));
  }

  private void scheduleCut(Decisions out, Duration after) {
    cutScheduled = true;
    out.act(new ScheduleCut<>(after));
  }

  private void cancelCut(Decisions out) {
    if (cutScheduled) {
      cutScheduled = false;
      out.act(new CancelCut<>());
    }
  }

  private void requeue(List<Pending> batch) {
    for (Pending pending : batch) {
      taken.remove(pending.nonceKey);
      queue.put(pending.nonceKey, pending);
      queuedBytes += pending.transaction.length;
    }
  }

  private Set<R> knownReplicas() {
    Set<R> known = new HashSet<>(replicas);
    known.add(ownReplica);
    return Set.copyOf(known);
  }

  /** A majority of the replicas, counted over at least the consortium's size. */
  private int majority(int replicaCount) {
    return Math.max(replicaCount, consortiumSize) / 2 + 1;
  }

  /**
   * A block's fate is unknown to its submitters, and so is every block built on it: say so to all
   * of them (and to the batch being built, if any), then resync before producing again.
   */
  private void failAll(Decisions out, List<Pending> batch, String reason) {
    List<Pending> unknown = new ArrayList<>(batch);
    inFlight.forEach(block -> unknown.addAll(block.transactions));
    for (Pending pending : unknown) {
      taken.remove(pending.nonceKey);
      out.reply(pending, SubmitResult.unknown(pending.hash, reason
          + "; look the transaction up by hash before resubmitting"));
    }
    inFlight.clear();
    epoch++;
    startSync(out, reason);
  }

  private void startSync(Decisions out, String reason) {
    syncing = true;
    out.act(new StartSync<>(reason));
  }
}
