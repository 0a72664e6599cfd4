package org.latticare.ledger.replica;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.ServiceKey;
import akka.pattern.StatusReply;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.journal.leveldb.javadsl.LeveldbReadJournal;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import akka.stream.javadsl.Sink;
import org.latticare.cluster.CborSerializable;
import org.latticare.cluster.Stages;
import org.latticare.ledger.Block;
import org.latticare.ledger.IdentityKeys;
import org.latticare.ledger.MerkleTree;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.InMemoryChainIndex;
import org.latticare.ledger.rules.LedgerState;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientAccess;
import org.latticare.ledger.rules.PatientChange;
import org.latticare.ledger.rules.PatientSlice;
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.rules.TransactionRules;
import org.latticare.ledger.rules.VerifiedSignatures;

/**
 * One node's replica of the chain, event-sourced to the node's own LevelDB journal.
 *
 * <p>Runs locally on every node under {@code PersistenceId.of("ChainReplica", nodeId)}, one event per
 * block ({@link BlockAppended} holding the block's canonical encoding, so sequence number = height + 1);
 * the journal is per node, so the replica never moves. A fresh replica persists the consortium's
 * genesis block on its first command. Every block is validated in full ({@link LedgerState#rejectBlock}:
 * link, Merkle root, producer authority and signature, each transaction's rules and signature) before
 * it is persisted. Recovery starts from the last snapshot, which is trusted, and validates every block
 * replayed after it the same way; a journal that fails stops the replica, naming the first bad block.
 * Blocks older than the few kept in memory are read back from the journal.
 *
 * <p>Used nonces and transaction locations are in the {@link ChainIndex} the replica is given (a LevelDB of
 * the node's own in production), written as each block is applied, not in snapshots: recovery starts only
 * from a snapshot the index has reached, so an empty or lagging index (in the heap, new, or lost) is built
 * again by replaying the journal after an older snapshot, or from genesis. An index found ahead of the
 * journal after recovery (which cannot follow a crash: it is written after the journal) was left by another
 * journal: it is cleared and the replica fails, so that its restart builds it again.
 *
 * <p>Subscribers ({@link Subscribe}, local actors such as the node's contract feed) get one
 * {@link BlockCommitted} per block this replica persists while running, not for blocks replayed in
 * recovery: the block's height and time, and for each patient it touches that patient's
 * {@link PatientAccess} after the block and the block's transactions concerning it, so nobody re-reads
 * the block. A subscriber is watched and dropped when it stops, and stays subscribed when the replica is
 * restarted by its supervisor. Blocks that touch no patient cost one type test per transaction and an empty message.
 *
 * <p>Replies are enforced: every command that carries a {@code replyTo} is answered, on every path (a refusal
 * at once, an append after persisting, a read of old blocks when the journal read completes), so an asker
 * learns the outcome instead of timing out.
 */
public final class ChainReplica
    extends EventSourcedBehaviorWithEnforcedReplies<ChainReplica.Command, ChainReplica.Event, ChainReplica.State> {

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "chain-replica");
  public static final int MAX_BLOCKS_PER_REQUEST = 100;
  /** A catch-up batch stops growing past this many bytes, to fit a remote frame. */
  public static final int MAX_BATCH_BYTES = 4 << 20;
  /**
   * How much a replica holds of blocks ahead of its head while it fetches the gap: about 25 blocks of 500
   * transactions, 1,000 small ones; past it the highest are refused and the producer's resend or the next
   * catch-up brings them.
   */
  public static final int MAX_AHEAD_BYTES = 64 << 20;
  public static final int MAX_AHEAD_BLOCKS = 1024;

  public interface Command extends CborSerializable {}

  /**
   * Appends the block (canonical encoding) if it is valid and follows the head; a block already held is
   * acknowledged again. A block ahead of the head (this replica missed some) is held, the gap reported to the
   * listener ({@link ListenForGaps}), and appended (and answered) as soon as the blocks before it arrive.
   */
  public record AppendBlock(byte[] block, ActorRef<StatusReply<Appended>> replyTo) implements Command {}

  /** Tells {@code listener} whenever a block arrives ahead of this replica's head (one listener: the last one set). */
  public record ListenForGaps(ActorRef<Behind> listener) implements Command {}

  /** This replica's head is {@code height} and it holds a block at {@code aheadHeight}: the blocks between are missing. */
  public record Behind(String nodeId, long height, long aheadHeight) implements CborSerializable {}

  public record GetHead(ActorRef<Head> replyTo) implements Command {}

  public record GetBlock(long height, ActorRef<StatusReply<byte[]>> replyTo) implements Command {}

  /** Up to {@code max} consecutive blocks from {@code fromHeight} (fewer at the head): what catch-up asks for. */
  public record GetBlocks(long fromHeight, int max, ActorRef<Blocks> replyTo) implements Command {}

  /**
   * The hashes of up to {@code max} ({@link ForkCheck#WINDOW} at most) consecutive blocks from {@code fromHeight}:
   * what a replica compares to find blocks the consortium never committed.
   */
  public record GetHashes(long fromHeight, int max, ActorRef<Hashes> replyTo) implements Command {}

  /** Block hashes (hex) from {@code fromHeight} up, fewer than asked at the head; empty if the read failed. */
  public record Hashes(String nodeId, long headHeight, long fromHeight, List<String> hashes) implements CborSerializable {}

  public record GetTransaction(String hash, ActorRef<StatusReply<TransactionProof>> replyTo) implements Command {}

  public record GetPatientTransactions(String pseudonym, ActorRef<PatientTransactions> replyTo) implements Command {}

  public record GetIdentity(String identityId, ActorRef<StatusReply<IdentityKey>> replyTo) implements Command {}

  /**
   * Checks candidate transactions against this replica's head by the ledger's rules (not signatures:
   * the mempool verified those on admission, and every replica verifies them again in the block), in
   * order, as if they formed the next block, timestamped {@code timeMillis} (or the head's time, if
   * later); answers with the head, that time, and the ones that fit.
   */
  public record PrepareBlock(List<byte[]> candidates, long timeMillis, ActorRef<Prepared> replyTo) implements Command {}

  /** Sends every block this replica persists from now on to {@code subscriber}, until it stops or unsubscribes. */
  public record Subscribe(ActorRef<BlockCommitted> subscriber) implements Command {}

  public record Unsubscribe(ActorRef<BlockCommitted> subscriber) implements Command {}

  private record SubscriberStopped(ActorRef<BlockCommitted> subscriber) implements Command {}

  /** What the chain says of a record now, for a node's record store: whether it exists, is erased, and its grants. */
  public record GetRecord(String recordId, ActorRef<RecordStatus> replyTo) implements Command {}

  /**
   * A record as of block {@code height}: {@code pseudonym} is null when no such record was anchored;
   * {@code digest} is what its anchor names (hex); {@code grants} are every grant ever made on it, revoked
   * ones included.
   */
  public record RecordStatus(String recordId, long height, String pseudonym, String organisation, boolean erased,
      String digest, List<LedgerView.Grant> grants) implements CborSerializable {
    public boolean anchored() {
      return pseudonym != null;
    }
  }

  /** The break-glass openings of records of an organisation's patients (its privacy officer's alerts). */
  public record GetAlerts(String organisation, ActorRef<Alerts> replyTo) implements Command {}

  public record Alerts(String organisation, long height, List<LedgerState.Alert> alerts) implements CborSerializable {}

  /** The patient's access slice at this replica's head. */
  public record GetPatientAccess(String pseudonym, ActorRef<PatientAccessAt> replyTo) implements Command {}

  /**
   * A patient's access slice as of block {@code height}, timestamped {@code timeMillis}, after the
   * patient's first {@code sequence} transactions.
   */
  public record PatientAccessAt(String nodeId, long height, long timeMillis, long sequence, PatientAccess access)
      implements CborSerializable {
    public PatientSlice slice() {
      return new PatientSlice(height, timeMillis, sequence, access);
    }
  }

  /** A block this replica has persisted: its height, its time, and what it changes for each patient it touches. */
  public record BlockCommitted(String nodeId, long height, long timeMillis, List<PatientChange> patients)
      implements CborSerializable {}

  public record Appended(String nodeId, long height, String hash) implements CborSerializable {}

  public record Head(String nodeId, long height, String hash, long timestampMillis, String producerId,
      int transactionCount) implements CborSerializable {}

  public record Blocks(String nodeId, long headHeight, List<byte[]> blocks) implements CborSerializable {}

  public record ProofStep(String sibling, boolean siblingOnLeft) implements CborSerializable {}

  public record TransactionProof(byte[] transaction, long height, int index, String blockHash, String merkleRoot,
      List<ProofStep> proof) implements CborSerializable {}

  public record PatientTransactions(String pseudonym, List<String> transactionHashes) implements CborSerializable {}

  /**
   * An enrolled identity: its id, role, organisation, the ML-DSA-65 key its signatures verify under and
   * its ML-KEM-768 key ({@code null} for an identity that has none: layout 1).
   */
  public record IdentityKey(String identityId, String role, String organisation, byte[] publicKey, byte[] kemKey)
      implements CborSerializable {}

  /** A candidate that does not fit: its position in the batch and why. */
  public record Refused(int position, Rejection rejection) implements CborSerializable {}

  /**
   * The head's header (canonical encoding: what a producer builds on), the time the block must carry
   * (the rules judged the candidates at it), the positions in the batch of the candidates that fit, in
   * order, and why the others do not. Positions, not hashes: the producer already knows each
   * candidate's hash, and a malformed candidate has none.
   */
  public record Prepared(byte[] headHeader, long timeMillis, List<Integer> accepted, List<Refused> refused)
      implements CborSerializable {}

  public interface Event extends CborSerializable {}

  public record BlockAppended(byte[] block) implements Event {}

  /** What the snapshot store keeps: the ledger state in plain lists. */
  public record ChainSnapshot(LedgerState.Snapshot ledger) implements CborSerializable {}

  /** The replica's state: empty before genesis; {@code corruption} set when recovery met a bad block. */
  public static final class State {
    private LedgerState ledger;
    private String corruption;

    boolean isEmpty() {
      return ledger == null;
    }
  }

  private final ActorContext<Command> context;
  private final String nodeId;
  private final Block genesis;
  private final int snapshotEvery;
  private final int keepSnapshots;
  private final ForkJoinPool verifiers;
  private final VerifiedSignatures verified;
  private final ChainIndex index;
  private boolean recovering = true;
  private byte[] validatedBytes;
  private Block validatedBlock;
  private final Audience audience;
  private final Set<ActorRef<BlockCommitted>> subscribers;
  /** Blocks received ahead of the head, by height, each with who waits for its answer. */
  private final TreeMap<Long, Ahead> ahead = new TreeMap<>();
  private long aheadBytes;

  /** Who hears from this replica: kept across restarts of the behaviour. */
  private static final class Audience {
    final Set<ActorRef<BlockCommitted>> subscribers = new HashSet<>();
    ActorRef<Behind> gapListener;
  }

  private record Ahead(byte[] block, List<ActorRef<StatusReply<Appended>>> waiting) {}

  /** The persistence id of {@code nodeId}'s replica in its journal. */
  public static String persistenceIdOf(String nodeId) {
    return PersistenceId.of("ChainReplica", nodeId).id();
  }

  public static Behavior<Command> create(String nodeId, Block genesis, int snapshotEvery, int keepSnapshots,
      ForkJoinPool verifiers) {
    return create(nodeId, genesis, snapshotEvery, keepSnapshots, verifiers, VerifiedSignatures.NONE,
        new InMemoryChainIndex());
  }

  /**
   * As above, over {@code index} (which the caller opens and closes; a replica restarted on failure keeps it);
   * {@code verified} holds the signatures this node's mempool verified, which are not verified again.
   */
  public static Behavior<Command> create(String nodeId, Block genesis, int snapshotEvery, int keepSnapshots,
      ForkJoinPool verifiers, VerifiedSignatures verified, ChainIndex index) {
    // Created here, outside the setup: a supervisor that restarts the replica rebuilds the behaviour inside the
    // same actor, whose watches on the subscribers stay, so the subscribers must stay too (a feed that silently
    // stopped hearing of blocks after a restart would leave every contract behind the chain).
    Audience audience = new Audience();
    return Behaviors.setup(ctx -> new ChainReplica(ctx, nodeId, genesis, snapshotEvery, keepSnapshots, verifiers,
        verified, audience, index));
  }

  private ChainReplica(ActorContext<Command> context, String nodeId, Block genesis, int snapshotEvery,
      int keepSnapshots, ForkJoinPool verifiers, VerifiedSignatures verified, Audience audience,
      ChainIndex index) {
    super(PersistenceId.ofUniqueId(persistenceIdOf(nodeId)));
    this.context = context;
    this.nodeId = nodeId;
    this.genesis = genesis;
    this.snapshotEvery = snapshotEvery;
    this.keepSnapshots = keepSnapshots;
    this.verifiers = verifiers;
    this.verified = verified;
    this.audience = audience;
    this.subscribers = audience.subscribers;
    this.index = index;
  }

  @Override
  public State emptyState() {
    return new State();
  }

  // ---- commands ------------------------------------------------------------------------------

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    // subscriptions need no chain: taken before genesis, so a subscriber misses not even block 1
    builder.forAnyState()
        .onCommand(Subscribe.class, this::onSubscribe)
        .onCommand(Unsubscribe.class, (state, cmd) -> unsubscribe(cmd.subscriber()))
        .onCommand(SubscriberStopped.class, (state, cmd) -> unsubscribe(cmd.subscriber()))
        .onCommand(ListenForGaps.class, (state, cmd) -> {
          audience.gapListener = cmd.listener();
          return Effect().noReply();
        });
    builder.forState(State::isEmpty).onAnyCommand(this::persistGenesisThenRetry);
    builder.forAnyState()
        .onCommand(AppendBlock.class, this::onAppend)
        .onCommand(GetHead.class, (state, cmd) -> Effect().reply(cmd.replyTo(), head(state.ledger)))
        .onCommand(GetBlock.class, this::onGetBlock)
        .onCommand(GetBlocks.class, this::onGetBlocks)
        .onCommand(GetHashes.class, this::onGetHashes)
        .onCommand(GetTransaction.class, this::onGetTransaction)
        .onCommand(GetPatientTransactions.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new PatientTransactions(cmd.pseudonym(),
                state.ledger.patientTransactions(cmd.pseudonym()).stream().map(Sha3Hash::hex).toList())))
        .onCommand(GetIdentity.class, this::onGetIdentity)
        .onCommand(GetAlerts.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new Alerts(cmd.organisation(), state.ledger.height(), state.ledger.alerts(cmd.organisation()))))
        .onCommand(GetRecord.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.ledger.record(cmd.recordId())
            .map(r -> new RecordStatus(cmd.recordId(), state.ledger.height(), r.pseudonym(), r.organisation(), r.erased(),
                r.digest() == null ? null : r.digest().hex(), List.copyOf(state.ledger.grantsOn(cmd.recordId()).values())))
            .orElse(new RecordStatus(cmd.recordId(), state.ledger.height(), null, null, false, null, List.of()))))
        .onCommand(PrepareBlock.class, this::onPrepare)
        .onCommand(GetPatientAccess.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new PatientAccessAt(nodeId, state.ledger.height(), state.ledger.head().header().timestampMillis(),
                state.ledger.patientSequence(cmd.pseudonym()), state.ledger.patientAccess(cmd.pseudonym()))));
    return builder.build();
  }

  private ReplyEffect<Event, State> persistGenesisThenRetry(State state, Command command) {
    context.getLog().info("Replica {} starts the chain from the genesis block {}", nodeId, genesis.hash());
    // the command itself is answered when it comes round again, now with a chain
    return Effect().persist(new BlockAppended(genesis.encode())).thenRun(s -> context.getSelf().tell(command))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onAppend(State state, AppendBlock command) {
    LedgerState ledger = state.ledger;
    Block block;
    try {
      block = Block.decode(command.block());
    } catch (MalformedEncodingException e) {
      return Effect().reply(command.replyTo(), StatusReply.error("malformed block: " + e.getMessage()));
    }
    if (block.height() <= ledger.height()) {
      Optional<Block> held = ledger.recentBlock(block.height());
      if (held.isPresent() && held.get().equals(block)) {
        return Effect().reply(command.replyTo(), StatusReply.success(appended(block)));
      }
      return Effect().reply(command.replyTo(), StatusReply.error("height " + block.height()
          + " already holds another block (head is " + ledger.height() + ")"));
    }
    if (block.height() > ledger.height() + 1) {
      // only a block a consortium producer signed is held: a forgery parked at a future height would otherwise
      // turn the producer's own block for that height away until the gap closed
      Optional<String> forged = ledger.rejectSigner(block);
      if (forged.isPresent()) {
        return Effect().reply(command.replyTo(), StatusReply.error(forged.get()));
      }
      return holdAhead(ledger.height(), block.height(), command);
    }
    Optional<String> rejection = ledger.rejectBlock(block, verifiers, verified);
    if (rejection.isPresent()) {
      return Effect().reply(command.replyTo(), StatusReply.error(rejection.get()));
    }
    validatedBytes = command.block();
    validatedBlock = block;
    return Effect().persist(new BlockAppended(command.block()))
        .thenRun(s -> publish(block, s.ledger))
        .thenRun(s -> releaseAhead(s.ledger))
        .thenReply(command.replyTo(), s -> StatusReply.success(appended(block)));
  }

  /**
   * Keeps a block that is ahead of the head until the blocks before it arrive, and reports the gap so that it is
   * fetched at once instead of at the next catch-up round. Answered when it is appended or given up.
   */
  private ReplyEffect<Event, State> holdAhead(long head, long height, AppendBlock command) {
    Ahead held = ahead.get(height);
    if (held != null && Arrays.equals(held.block(), command.block())) {
      held.waiting().add(command.replyTo());
    } else if (held != null) {
      return Effect().reply(command.replyTo(), StatusReply.error("another block at height " + height
          + " is already waiting for the blocks before it"));
    } else {
      ahead.put(height, new Ahead(command.block(), new ArrayList<>(List.of(command.replyTo()))));
      aheadBytes += command.block().length;
      while (ahead.size() > 1 && (aheadBytes > MAX_AHEAD_BYTES || ahead.size() > MAX_AHEAD_BLOCKS)) {
        Map.Entry<Long, Ahead> highest = ahead.pollLastEntry();
        aheadBytes -= highest.getValue().block().length;
        giveUp(highest.getValue(), "block " + highest.getKey() + " is too far ahead of head " + head);
      }
    }
    if (audience.gapListener != null) {
      audience.gapListener.tell(new Behind(nodeId, head, height));
    }
    return Effect().noReply(); // answered when the block is appended or given up
  }

  /** After an append: the next held block goes through the ordinary path; those at or below the head are answered. */
  private void releaseAhead(LedgerState ledger) {
    while (!ahead.isEmpty() && ahead.firstKey() <= ledger.height()) {
      Map.Entry<Long, Ahead> passed = ahead.pollFirstEntry();
      aheadBytes -= passed.getValue().block().length;
      for (ActorRef<StatusReply<Appended>> waiting : passed.getValue().waiting()) {
        // asked again, it is acknowledged if the block now at that height is the same one, refused otherwise
        context.getSelf().tell(new AppendBlock(passed.getValue().block(), waiting));
      }
    }
    if (!ahead.isEmpty() && ahead.firstKey() == ledger.height() + 1) {
      Map.Entry<Long, Ahead> next = ahead.pollFirstEntry();
      aheadBytes -= next.getValue().block().length;
      next.getValue().waiting().forEach(waiting -> context.getSelf().tell(new AppendBlock(next.getValue().block(), waiting)));
    }
  }

  private static void giveUp(Ahead held, String reason) {
    held.waiting().forEach(waiting -> waiting.tell(StatusReply.error(reason)));
  }

  private ReplyEffect<Event, State> onSubscribe(State state, Subscribe command) {
    if (subscribers.add(command.subscriber())) {
      context.watchWith(command.subscriber(), new SubscriberStopped(command.subscriber()));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> unsubscribe(ActorRef<BlockCommitted> subscriber) {
    if (subscribers.remove(subscriber)) {
      context.unwatch(subscriber);
    }
    return Effect().noReply();
  }

  /** Tells the subscribers about a block just persisted and applied to {@code ledger}. */
  private void publish(Block block, LedgerState ledger) {
    if (subscribers.isEmpty()) {
      return;
    }
    BlockCommitted committed = new BlockCommitted(nodeId, block.height(), block.header().timestampMillis(),
        List.copyOf(ledger.patientChanges(block)));
    subscribers.forEach(subscriber -> subscriber.tell(committed));
  }

  private ReplyEffect<Event, State> onGetBlock(State state, GetBlock command) {
    if (command.height() < 0 || command.height() > state.ledger.height()) {
      return Effect().reply(command.replyTo(), StatusReply.error("no block at height " + command.height()
          + " (head is " + state.ledger.height() + ")"));
    }
    Optional<Block> recent = state.ledger.recentBlock(command.height());
    if (recent.isPresent()) {
      return Effect().reply(command.replyTo(), StatusReply.success(recent.get().encode()));
    }
    readFromJournal(command.height(), 1).whenComplete((blocks, failure) -> command.replyTo().tell(failure == null
        ? StatusReply.success(blocks.get(0))
        : StatusReply.error("reading block " + command.height() + " failed: " + failure.getMessage())));
    return Effect().noReply(); // answered when the journal read completes
  }

  private ReplyEffect<Event, State> onGetBlocks(State state, GetBlocks command) {
    long head = state.ledger.height();
    int count = (int) Math.max(0, Math.min(Math.min(command.max(), MAX_BLOCKS_PER_REQUEST), head - command.fromHeight() + 1));
    if (count == 0 || command.fromHeight() < 0) {
      return Effect().reply(command.replyTo(), new Blocks(nodeId, head, List.of()));
    }
    List<byte[]> recent = new ArrayList<>();
    for (long h = command.fromHeight(); h < command.fromHeight() + count; h++) {
      Optional<Block> block = state.ledger.recentBlock(h);
      if (block.isEmpty()) {
        readFromJournal(command.fromHeight(), count).whenComplete((blocks, failure) ->
            command.replyTo().tell(new Blocks(nodeId, head, failure == null ? withinBatchBytes(blocks) : List.of())));
        return Effect().noReply(); // answered when the journal read completes
      }
      recent.add(block.get().encode());
    }
    return Effect().reply(command.replyTo(), new Blocks(nodeId, head, withinBatchBytes(recent)));
  }

  private ReplyEffect<Event, State> onGetHashes(State state, GetHashes command) {
    long head = state.ledger.height();
    int count = (int) Math.max(0, Math.min(Math.min(command.max(), ForkCheck.WINDOW), head - command.fromHeight() + 1));
    if (count == 0 || command.fromHeight() < 0) {
      return Effect().reply(command.replyTo(), new Hashes(nodeId, head, command.fromHeight(), List.of()));
    }
    List<String> hashes = new ArrayList<>();
    for (long h = command.fromHeight(); h < command.fromHeight() + count; h++) {
      Optional<Block> block = state.ledger.recentBlock(h);
      if (block.isEmpty()) {
        readFromJournal(command.fromHeight(), count).whenComplete((blocks, failure) -> command.replyTo().tell(
            new Hashes(nodeId, head, command.fromHeight(), failure == null
                ? blocks.stream().map(bytes -> Block.decode(bytes).hash().hex()).toList() : List.of())));
        return Effect().noReply(); // answered when the journal read completes
      }
      hashes.add(block.get().hash().hex());
    }
    return Effect().reply(command.replyTo(), new Hashes(nodeId, head, command.fromHeight(), hashes));
  }

  private ReplyEffect<Event, State> onGetTransaction(State state, GetTransaction command) {
    Sha3Hash hash;
    try {
      hash = Sha3Hash.fromHex(command.hash());
    } catch (IllegalArgumentException e) {
      return Effect().reply(command.replyTo(), StatusReply.error(e.getMessage()));
    }
    Optional<ChainIndex.TxLocation> location = state.ledger.location(hash);
    if (location.isEmpty()) {
      return Effect().reply(command.replyTo(), StatusReply.error("no transaction " + command.hash() + " on chain"));
    }
    long height = location.get().height();
    int index = location.get().index();
    Optional<Block> recent = state.ledger.recentBlock(height);
    if (recent.isPresent()) {
      return Effect().reply(command.replyTo(), StatusReply.success(proof(recent.get(), index)));
    }
    readFromJournal(height, 1).whenComplete((blocks, failure) -> command.replyTo().tell(failure == null
        ? StatusReply.success(proof(Block.decode(blocks.get(0)), index))
        : StatusReply.error("reading block " + height + " failed: " + failure.getMessage())));
    return Effect().noReply(); // answered when the journal read completes
  }

  private ReplyEffect<Event, State> onGetIdentity(State state, GetIdentity command) {
    StatusReply<IdentityKey> reply = state.ledger.identity(command.identityId())
        .map(id -> StatusReply.success(new IdentityKey(id.identityId(), id.role(), id.organisation(), id.signingKey(),
            id.keys().flatMap(IdentityKeys::kem).orElse(null))))
        .orElseGet(() -> StatusReply.error("'" + command.identityId() + "' is not an enrolled identity"));
    return Effect().reply(command.replyTo(), reply);
  }

  private ReplyEffect<Event, State> onPrepare(State state, PrepareBlock command) {
    List<Integer> accepted = new ArrayList<>();
    List<Refused> refused = new ArrayList<>();
    var view = state.ledger.overlay();
    long timeMillis = Math.max(command.timeMillis(), state.ledger.head().header().timestampMillis());
    for (int i = 0; i < command.candidates().size(); i++) {
      byte[] candidate = command.candidates().get(i);
      try {
        Transaction tx = Transaction.decode(candidate);
        Optional<Rejection> broken = TransactionRules.check(tx, view, timeMillis);
        if (broken.isPresent()) {
          refused.add(new Refused(i, broken.get()));
        } else {
          TransactionRules.apply(tx, view);
          accepted.add(i);
        }
      } catch (MalformedEncodingException e) {
        refused.add(new Refused(i, Rejection.of(Rejection.Code.MALFORMED, "malformed transaction: " + e.getMessage())));
      }
    }
    return Effect().reply(command.replyTo(), new Prepared(state.ledger.head().header().canonicalBytes(), timeMillis,
        accepted, refused));
  }

  /** The leading blocks that fit in {@link #MAX_BATCH_BYTES}; always at least one. */
  private static List<byte[]> withinBatchBytes(List<byte[]> blocks) {
    long total = 0;
    for (int i = 0; i < blocks.size(); i++) {
      total += blocks.get(i).length;
      if (total > MAX_BATCH_BYTES && i > 0) {
        return List.copyOf(blocks.subList(0, i));
      }
    }
    return blocks;
  }

  private CompletionStage<List<byte[]>> readFromJournal(long fromHeight, int count) {
    LeveldbReadJournal journal = PersistenceQuery.get(context.getSystem())
        .getReadJournalFor(LeveldbReadJournal.class, LeveldbReadJournal.Identifier());
    return Stages.direct(journal.currentEventsByPersistenceId(persistenceId().id(), fromHeight + 1, fromHeight + count)
        .map(envelope -> ((BlockAppended) envelope.event()).block())
        .runWith(Sink.seq(), context.getSystem()));
  }

  private static TransactionProof proof(Block block, int index) {
    List<Sha3Hash> leaves = Block.leaves(block.transactions());
    List<ProofStep> steps = MerkleTree.proof(leaves, index).stream()
        .map(step -> new ProofStep(step.sibling().hex(), step.siblingOnLeft())).toList();
    return new TransactionProof(block.transactions().get(index).encode(), block.height(), index,
        block.hash().hex(), block.header().merkleRoot().hex(), steps);
  }

  // ---- events --------------------------------------------------------------------------------

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(BlockAppended.class, this::onBlockAppended)
        .build();
  }

  private State onBlockAppended(State state, BlockAppended event) {
    if (state.corruption != null) {
      return state;
    }
    if (event.block() == validatedBytes) {
      state.ledger.append(validatedBlock);
      validatedBytes = null;
      validatedBlock = null;
      return state;
    }
    Block block;
    try {
      block = Block.decode(event.block());
    } catch (MalformedEncodingException e) {
      state.corruption = "a journal entry after height " + (state.ledger == null ? "-" : state.ledger.height())
          + " is not a block: " + e.getMessage();
      return state;
    }
    if (state.ledger == null) {
      if (!block.equals(genesis)) {
        state.corruption = "block 0 is not this consortium's genesis block (hash " + block.hash()
            + ", expected " + genesis.hash() + ")";
      } else {
        state.ledger = LedgerState.fromGenesis(block, index);
      }
      return state;
    }
    if (recovering) {
      Optional<String> problem = state.ledger.rejectBlock(block, verifiers);
      if (problem.isPresent()) {
        state.corruption = problem.get();
        return state;
      }
    }
    state.ledger.append(block);
    return state;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .build();
  }

  private void onRecovered(State state) {
    recovering = false;
    if (state.corruption != null) {
      String message = "Replica " + nodeId + " refuses to start: its journal was altered or damaged: "
          + state.corruption;
      throw new ChainCorruptedException(message);
    }
    long recovered = state.ledger == null ? ChainIndex.EMPTY : state.ledger.height();
    long indexed = index.height();
    if (indexed > recovered) {
      index.clear();
      if (state.ledger != null) {
        throw new IllegalStateException("Replica " + nodeId + ": its chain index reached height " + indexed
            + " beyond the journal's " + recovered + "; the index was cleared and a restart builds it again");
      }
    }
    if (state.ledger != null) {
      context.getLog().info("Replica {} recovered up to height {}, head {}", nodeId, state.ledger.height(),
          state.ledger.head().hash());
    }
  }

  /** Only a snapshot the index has reached (sequence number = height + 1): the index holds what it lacks. */
  @Override
  public Recovery recovery() {
    long indexed = index.height();
    return Recovery.withSnapshotSelectionCriteria(indexed == ChainIndex.EMPTY ? SnapshotSelectionCriteria.none()
        : SnapshotSelectionCriteria.latest().withMaxSequenceNr(indexed + 1));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, keepSnapshots);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        return new ChainSnapshot(state.ledger == null ? null : state.ledger.toSnapshot());
      }

      @Override
      public State fromJournal(Object snapshot) {
        State state = new State();
        LedgerState.Snapshot ledger = ((ChainSnapshot) snapshot).ledger();
        state.ledger = ledger == null ? null : LedgerState.fromSnapshot(ledger, index);
        return state;
      }
    };
  }

  private Appended appended(Block block) {
    return new Appended(nodeId, block.height(), block.hash().hex());
  }

  private Head head(LedgerState ledger) {
    Block head = ledger.head();
    return new Head(nodeId, head.height(), head.hash().hex(), head.header().timestampMillis(),
        head.header().producerId(), head.transactions().size());
  }

  /** The journal on disk does not form this consortium's chain. */
  public static final class ChainCorruptedException extends IllegalStateException {
    public ChainCorruptedException(String message) {
      super(message);
    }
  }

}
