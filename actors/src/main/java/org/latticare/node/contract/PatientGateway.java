package org.latticare.node.contract;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientAccess;
import org.latticare.ledger.rules.PatientChange;
import org.latticare.ledger.rules.PatientSlice;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.ledger.tx.TxType;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.identity.IdentitySettings;

/**
 * A patient's endpoint in the cluster (sharded by pseudonym): what the patient must be told about its
 * records — grants given (to whom, until when), revocations, expiries, reads (who, for what purpose),
 * anchoring and erasure — derived from committed blocks. It holds no secret of the patient.
 *
 * <p>On start it re-derives the patient's notifications from its node's replica (the patient's
 * transaction index, then each transaction), and {@link ContractFeed}s add those of every later
 * block; a feed's update also starts the gateway if it is not running, through sharding. Both
 * sources are merged by transaction hash, so duplicates from several nodes' feeds, and a block that
 * arrives both ways while the gateway loads, count once; notifications are listed in chain order.
 *
 * <p>Each notification's chain position (height, index in the block) is the patient's cursor:
 * {@link GetNotifications} lists those after it. {@link Acknowledge} lets the gateway forget what the
 * patient has seen; a restart or passivation re-derives everything from the chain, so nothing unseen
 * is lost, and a patient that keeps its cursor is shown nothing twice.
 */
public final class PatientGateway extends AbstractBehavior<PatientGateway.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "PatientGateway");

  /** The transaction types a patient is told about. */
  public static final Set<TxType> NOTIFIED = Set.of(TxType.RECORD_ANCHORED, TxType.ACCESS_GRANTED,
      TxType.ACCESS_REVOKED, TxType.ACCESS_EXPIRED, TxType.RECORD_ACCESSED, TxType.RECORD_ERASED, TxType.BREAK_GLASS);

  private static final int STASH_CAPACITY = 1000;

  public interface Command extends CborSerializable {}

  /** What a block that touches the patient changed: the records it touched and its transactions concerning the patient. */
  public record BlockApplied(long height, long timeMillis, PatientChange change) implements Command {}

  /**
   * The notifications after chain position ({@code afterHeight}, {@code afterIndex}) — (-1, -1) for all —
   * and the grants whose end has passed at {@code callerTimeMillis} (or the latest block's time, if later).
   */
  public record GetNotifications(long afterHeight, int afterIndex, long callerTimeMillis,
      ActorRef<Notifications> replyTo) implements Command {}

  /** The patient has seen everything up to this chain position: the gateway may forget it. */
  public record Acknowledge(long height, int index) implements Command {}

  /** An unrevoked grant whose end has passed, whether or not an {@code AccessExpired} was committed for it. */
  public record EndedGrant(String recordId, String grantee, long notAfterMillis) {}

  /** The patient's notifications in chain order, as known at block {@code height}. */
  public record Notifications(String pseudonym, long height, List<PatientTransaction> notifications,
      List<EndedGrant> endedGrants) implements CborSerializable {}

  private record IndexLoaded(int attempt, ChainReplica.PatientTransactions index) implements Command {}

  private record AccessLoaded(int attempt, ChainReplica.PatientAccessAt at) implements Command {}

  private record TransactionLoaded(int attempt, ChainReplica.TransactionProof proof) implements Command {}

  private record LoadFailed(int attempt, String reason) implements Command {}

  private record Reload(int attempt) implements Command {}

  /** The replica's slice ({@code null} if it did not answer), asked again after a change that did not follow the gateway's. */
  private record AccessReloaded(ChainReplica.PatientAccessAt at) implements Command {}

  /** Opens a proof session for the patient: the answer names the session and its ring, or why it did not open. */
  public record OpenProof(ActorRef<ProofOpening> replyTo) implements Command {}

  /** How opening {@code session} went: {@code opened} (its ring, rounds, attempts), or the refusal's {@code code} and detail. */
  public record ProofOpening(String session, IdentityContract.Opened opened, String code, String detail)
      implements CborSerializable {}

  /** A frame of the patient's device for session {@code session}: relayed only if it is that session's commitment or response. */
  public record ProofFrame(String session, byte[] frame, ActorRef<ProofAnswer> replyTo) implements Command {}

  /** The events of {@code session} after index {@code after} (-1: all), waiting up to {@code waitMillis} for one. */
  public record GetProofEvents(String session, int after, long waitMillis, ActorRef<ProofEvents> replyTo)
      implements Command {}

  /** The outcome of {@code session}, once, if it ended {@code IDENTIFIED}: what the front issues a token on. */
  public record ClaimProofToken(String session, ActorRef<ProofAnswer> replyTo) implements Command {}

  /** Done when {@code code} is {@code null} (with the session's outcome for a claim), else why not. */
  public record ProofAnswer(String code, String detail, IdentityContract.Finished finished) implements CborSerializable {}

  /**
   * Event {@code index} of a session: a challenge frame, a new ring (the contract re-formed the session's ring
   * after losing a verifier: the prover starts again on it, under its protocol session), or how it finished.
   */
  public record ProofEvent(int index, byte[] challenge, IdentityContract.Opened ring, IdentityContract.Finished finished)
      implements CborSerializable {}

  /** A session's events in order ({@code code} says why there are none when the session is not kept). */
  public record ProofEvents(String session, String code, String detail, List<ProofEvent> events)
      implements CborSerializable {}

  private record FromContract(IdentityContract.ProverEvent event) implements Command {}

  private record PollExpired(String session, long pollId) implements Command {}


  private enum SweepProofs implements Command { INSTANCE }

  private static final SecureRandom SESSION_IDS = new SecureRandom();
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

  private final ActorContext<Command> context;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final String pseudonym;
  private final ActorRef<ChainReplica.Command> replica;
  private final Duration askTimeout;
  private final ActorRef<ShardingEnvelope<IdentityContract.Command>> identities;
  private final IdentitySettings identity;
  private final ProofRelay proofs;
  private final ActorRef<IdentityContract.ProverEvent> prover;
  private long polls;
  private final Map<String, PatientTransaction> notifications = new HashMap<>();
  private long acknowledgedHeight = -1;
  private int acknowledgedIndex = -1;
  private PatientSlice slice;
  private boolean reloadingAccess;
  private int attempt;
  /** Answers still awaited by the current load; -1 once loaded. */
  private int pending;

  /** @param identities the sharding region of identity contracts, which run the patient's proof sessions */
  public static Behavior<Command> create(String pseudonym, ActorRef<ChainReplica.Command> replica,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> identities, IdentitySettings identity, Duration askTimeout) {
    return Behaviors.setup(context -> Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.withTimers(timers ->
        new PatientGateway(context, stash, timers, pseudonym, replica, identities, identity, askTimeout))));
  }

  private PatientGateway(ActorContext<Command> context, StashBuffer<Command> stash, TimerScheduler<Command> timers,
      String pseudonym, ActorRef<ChainReplica.Command> replica,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> identities, IdentitySettings identity, Duration askTimeout) {
    super(context);
    this.context = context;
    this.stash = stash;
    this.timers = timers;
    this.pseudonym = pseudonym;
    this.replica = replica;
    this.askTimeout = askTimeout;
    this.identities = identities;
    this.identity = identity;
    this.proofs = new ProofRelay(identity.gateway(), identity.sessionTimeout());
    this.prover = context.messageAdapter(IdentityContract.ProverEvent.class, FromContract::new);
    this.slice = PatientSlice.none(pseudonym);
    load();
  }

  /** Asks for the slice and the transaction index; each indexed transaction is asked for once the index comes. */
  private void load() {
    int current = ++attempt;
    pending = 2;
    context.ask(ChainReplica.PatientAccessAt.class, replica, askTimeout,
        replyTo -> new ChainReplica.GetPatientAccess(pseudonym, replyTo),
        (at, failure) -> at != null ? new AccessLoaded(current, at) : new LoadFailed(current, String.valueOf(failure)));
    context.ask(ChainReplica.PatientTransactions.class, replica, askTimeout,
        replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo),
        (index, failure) -> index != null ? new IndexLoaded(current, index)
            : new LoadFailed(current, String.valueOf(failure)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(BlockApplied.class, this::onBlockApplied)
        .onMessage(GetNotifications.class, this::onGetNotifications)
        .onMessage(Acknowledge.class, this::onAcknowledge)
        .onMessage(AccessLoaded.class, this::onAccessLoaded)
        .onMessage(AccessReloaded.class, reloaded -> {
          reloadingAccess = false;
          if (reloaded.at() != null) {
            slice = slice.newer(reloaded.at().slice());
          }
          return this;
        })
        .onMessage(IndexLoaded.class, this::onIndexLoaded)
        .onMessage(TransactionLoaded.class, this::onTransactionLoaded)
        .onMessage(LoadFailed.class, this::onLoadFailed)
        .onMessage(Reload.class, reload -> {
          if (reload.attempt() == attempt) {
            load();
          }
          return this;
        })
        .onMessage(OpenProof.class, this::onOpenProof)
        .onMessage(FromContract.class, from -> {
          proofs.onEvent(from.event(), System.currentTimeMillis());
          return this;
        })
        .onMessage(ProofFrame.class, this::onProofFrame)
        .onMessage(GetProofEvents.class, this::onGetProofEvents)
        .onMessage(PollExpired.class, expired -> {
          proofs.pollExpired(expired.session(), expired.pollId());
          return this;
        })
        .onMessage(ClaimProofToken.class, claim -> {
          claim.replyTo().tell(proofs.claim(claim.session()));
          return this;
        })
        .onMessage(SweepProofs.class, sweep -> {
          proofs.sweep(System.currentTimeMillis());
          if (proofs.isEmpty()) {
            timers.cancel(SweepProofs.INSTANCE);
          }
          return this;
        })
        .build();
  }

  /** A fresh, unguessable session id: the identity contract's entity id, and what the patient's requests name. */
  private Behavior<Command> onOpenProof(OpenProof open) {
    byte[] random = new byte[16];
    SESSION_IDS.nextBytes(random);
    String session = "ps-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Optional<String> refused = proofs.open(session, System.currentTimeMillis(), open.replyTo()::tell);
    if (refused.isPresent()) {
      open.replyTo().tell(new ProofOpening(session, null, refused.get(), "at most " + identity.gateway().maxSessions()
          + " proof sessions of a patient are open at once"));
      return this;
    }
    if (!timers.isTimerActive(SweepProofs.INSTANCE)) {
      timers.startTimerWithFixedDelay(SweepProofs.INSTANCE, SWEEP_EVERY);
    }
    identities.tell(new ShardingEnvelope<>(session, new IdentityContract.Open(pseudonym, prover)));
    return this;
  }

  private Behavior<Command> onProofFrame(ProofFrame frame) {
    Optional<ProofAnswer> refused = proofs.frame(frame.session(), frame.frame());
    if (refused.isEmpty()) {
      identities.tell(new ShardingEnvelope<>(frame.session(), new IdentityContract.FromProver(frame.frame())));
    }
    frame.replyTo().tell(refused.orElse(new ProofAnswer(null, null, null)));
    return this;
  }

  private Behavior<Command> onGetProofEvents(GetProofEvents get) {
    long pollId = ++polls;
    long wait = Math.max(0, Math.min(get.waitMillis(), identity.gateway().maxPollWait().toMillis()));
    if (proofs.poll(get.session(), get.after(), pollId, get.replyTo()::tell)) {
      timers.startSingleTimer(new PollExpired(get.session(), pollId), new PollExpired(get.session(), pollId),
          Duration.ofMillis(wait));
    }
    return this;
  }

  /**
   * A change's transactions are notifications whatever the order they come in (deduplicated by hash);
   * the slice takes only the change that follows it. One that does not (it overtook one the local
   * feed has not delivered yet, or came while the history was loading) asks the replica for the slice
   * again; a lagging replica's older answer is ignored, and the local feed fills the gap.
   */
  private Behavior<Command> onBlockApplied(BlockApplied update) {
    PatientChange change = update.change();
    change.transactions().forEach(this::add);
    switch (slice.fit(change)) {
      case NEXT -> slice = slice.next(update.height(), update.timeMillis(), change);
      case DUPLICATE -> { }
      case GAP -> {
        if (pending < 0 && !reloadingAccess) {
          reloadingAccess = true;
          context.ask(ChainReplica.PatientAccessAt.class, replica, askTimeout,
              replyTo -> new ChainReplica.GetPatientAccess(pseudonym, replyTo),
              (at, failure) -> new AccessReloaded(at));
        }
      }
    }
    return this;
  }

  private Behavior<Command> onGetNotifications(GetNotifications request) {
    if (pending >= 0) {
      if (!stash.isFull()) {
        stash.stash(request);
      }
      return this;
    }
    List<PatientTransaction> after = notifications.values().stream()
        .filter(n -> n.after(request.afterHeight(), request.afterIndex()))
        .sorted(Comparator.comparingLong(PatientTransaction::height).thenComparingInt(PatientTransaction::index))
        .toList();
    long now = Math.max(request.callerTimeMillis(), slice.timeMillis());
    List<EndedGrant> ended = new ArrayList<>();
    for (PatientAccess.RecordAccess record : slice.access().records()) {
      for (LedgerView.Grant grant : record.grants()) {
        if (!grant.revoked() && grant.endedAt(now)) {
          ended.add(new EndedGrant(record.recordId(), grant.grantee(), grant.notAfterMillis()));
        }
      }
    }
    request.replyTo().tell(new Notifications(pseudonym, slice.height(), after, List.copyOf(ended)));
    return this;
  }

  private Behavior<Command> onAcknowledge(Acknowledge seen) {
    if (!PatientTransaction.isAfter(seen.height(), seen.index(), acknowledgedHeight, acknowledgedIndex)) {
      return this;
    }
    acknowledgedHeight = seen.height();
    acknowledgedIndex = seen.index();
    notifications.values().removeIf(n -> !n.after(acknowledgedHeight, acknowledgedIndex));
    return this;
  }

  private Behavior<Command> onAccessLoaded(AccessLoaded loaded) {
    if (loaded.attempt() == attempt) {
      slice = slice.newer(loaded.at().slice());
      return answered(1);
    }
    return this;
  }

  private Behavior<Command> onIndexLoaded(IndexLoaded loaded) {
    if (loaded.attempt() != attempt) {
      return this;
    }
    int current = attempt;
    for (String hash : loaded.index().transactionHashes()) {
      if (notifications.containsKey(hash)) {
        continue;
      }
      pending++;
      context.askWithStatus(ChainReplica.TransactionProof.class, replica, askTimeout,
          replyTo -> new ChainReplica.GetTransaction(hash, replyTo),
          (proof, failure) -> proof != null ? new TransactionLoaded(current, proof)
              : new LoadFailed(current, String.valueOf(failure)));
    }
    return answered(1);
  }

  private Behavior<Command> onTransactionLoaded(TransactionLoaded loaded) {
    if (loaded.attempt() != attempt) {
      return this;
    }
    ChainReplica.TransactionProof proof = loaded.proof();
    add(PatientTransaction.of(Transaction.decode(proof.transaction()), proof.height(), proof.index()));
    return answered(1);
  }

  private Behavior<Command> onLoadFailed(LoadFailed failed) {
    if (failed.attempt() == attempt && pending >= 0) {
      context.getLog().warn("Gateway of {} could not load its history from the chain ({}); retrying", pseudonym,
          failed.reason());
      pending = Integer.MAX_VALUE;
      timers.startSingleTimer(new Reload(attempt), askTimeout);
    }
    return this;
  }

  /** Counts down the current load; once every answer is in, the stashed requests are served. */
  private Behavior<Command> answered(int answers) {
    if (pending < 0) {
      return this;
    }
    pending -= answers;
    if (pending == 0) {
      pending = -1;
      return stash.unstashAll(this);
    }
    return this;
  }

  private void add(PatientTransaction tx) {
    if (NOTIFIED.contains(tx.type()) && tx.after(acknowledgedHeight, acknowledgedIndex)) {
      notifications.putIfAbsent(tx.hash(), tx);
    }
  }
}
