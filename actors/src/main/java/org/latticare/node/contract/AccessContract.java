package org.latticare.node.contract;

import java.time.Duration;
import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.AccessPolicy;
import org.latticare.ledger.rules.LedgerView;
import org.latticare.ledger.rules.PatientAccess;
import org.latticare.ledger.rules.PatientChange;
import org.latticare.ledger.rules.PatientSlice;
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.tx.TxBody;

/**
 * A patient's access contract: one sharded entity per pseudonym that answers "may this caller read
 * this record of the patient, or see the patient's views, now?" by {@link AccessPolicy}, over the
 * patient's {@link PatientAccess} slice.
 *
 * <p>Its state is derived from committed blocks only: on start it asks its node's replica for the
 * slice at the head, and {@link ContractFeed}s keep it current with what each block that touches the
 * patient changed ({@link PatientSlice}: only the records touched, so a patient with thousands of
 * records costs no more per block than one with a single record). Each node's feed sends each change,
 * so duplicates are recognised by the patient's transaction count and ignored; a change that arrives
 * before one it follows (a faster node's feed) is dropped and asks the local replica again, and the
 * local feed delivers the missing ones in order in any case. It writes nothing: the ledger changes
 * only by transactions through the mempool. Passivation loses nothing, since a restart re-derives the slice.
 *
 * <p>Time is the latest block time the contract knows, or the caller's clock when later, so that a
 * grant ends when its time passes even if no block has been committed since.
 */
public final class AccessContract extends AbstractBehavior<AccessContract.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AccessContract");

  /** Decisions asked while the slice is loading wait for it; beyond this many they are dropped (the asker times out). */
  private static final int STASH_CAPACITY = 1000;

  public interface Command extends CborSerializable {}

  public enum Action { READ_RECORD, VIEW_PATIENT, READ_NOTIFICATIONS, ACKNOWLEDGE_NOTIFICATIONS, STORE_RECORD, MANAGE_RECORD }

  /**
   * Whether {@code caller} may do {@code action} (for {@code purpose}, an HL7 v3 PurposeOfUse code, when it
   * reads a record under a consent; {@code recordId} names the record for
   * {@link Action#READ_RECORD} and {@link Action#MANAGE_RECORD}, and is ignored for the others) at
   * {@code callerTimeMillis}, or at the latest block's time if that is later.
   */
  public record Decide(TxBody.Identity caller, Action action, String recordId, String purpose, long callerTimeMillis,
      ActorRef<Decision> replyTo) implements Command {

    /** A decision that names no purpose (every action but {@link Action#READ_RECORD} under a consent). */
    public Decide(TxBody.Identity caller, Action action, String recordId, long callerTimeMillis,
        ActorRef<Decision> replyTo) {
      this(caller, action, recordId, null, callerTimeMillis, replyTo);
    }
  }

  /** What block {@code height}, timestamped {@code timeMillis}, changed for the patient: what a feed sends. */
  public record BlockApplied(long height, long timeMillis, PatientChange change) implements Command {}

  /**
   * The answer: allowed when {@code rejection} is {@code null}; decided at chain height {@code height}
   * and time {@code atMillis} by the contract running on the node at address {@code decidedOn}.
   */
  public record Decision(String pseudonym, Rejection rejection, long height, long atMillis, String decidedOn)
      implements CborSerializable {
    public boolean allowed() {
      return rejection == null;
    }
  }

  private record Loaded(ChainReplica.PatientAccessAt at) implements Command {}

  private record LoadFailed(String reason) implements Command {}

  private enum Reload implements Command { INSTANCE }

  private final ActorContext<Command> context;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final String pseudonym;
  private final ActorRef<ChainReplica.Command> replica;
  private final Duration askTimeout;
  private final String address;
  private boolean loaded;
  private boolean reloading;
  private PatientSlice slice;
  private LedgerView view;

  public static Behavior<Command> create(String pseudonym, ActorRef<ChainReplica.Command> replica, Duration askTimeout) {
    return Behaviors.setup(context -> Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.withTimers(timers ->
        new AccessContract(context, stash, timers, pseudonym, replica, askTimeout))));
  }

  private AccessContract(ActorContext<Command> context, StashBuffer<Command> stash, TimerScheduler<Command> timers,
      String pseudonym, ActorRef<ChainReplica.Command> replica, Duration askTimeout) {
    super(context);
    this.context = context;
    this.stash = stash;
    this.timers = timers;
    this.pseudonym = pseudonym;
    this.replica = replica;
    this.askTimeout = askTimeout;
    this.address = context.getSystem().address().toString();
    this.slice = PatientSlice.none(pseudonym);
    this.view = slice.access().view();
    load();
  }

  private void load() {
    reloading = true;
    context.ask(ChainReplica.PatientAccessAt.class, replica,
        askTimeout, replyTo -> new ChainReplica.GetPatientAccess(pseudonym, replyTo),
        (at, failure) -> at != null ? new Loaded(at) : new LoadFailed(String.valueOf(failure)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Decide.class, this::onDecide)
        .onMessage(BlockApplied.class, this::onBlockApplied)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(LoadFailed.class, this::onLoadFailed)
        .onMessageEquals(Reload.INSTANCE, () -> {
          load();
          return this;
        })
        .build();
  }

  private Behavior<Command> onDecide(Decide decide) {
    if (!loaded) {
      if (!stash.isFull()) {
        stash.stash(decide);
      }
      return this;
    }
    long at = Math.max(decide.callerTimeMillis(), slice.timeMillis());
    Optional<Rejection> rejection = switch (decide.action()) {
      case READ_RECORD -> AccessPolicy.mayRead(view, decide.caller(), decide.recordId(), at, decide.purpose());
      case VIEW_PATIENT -> AccessPolicy.mayViewPatient(view, decide.caller(), pseudonym, at);
      case READ_NOTIFICATIONS -> AccessPolicy.mayFollowPatient(view, decide.caller(), pseudonym, false);
      case ACKNOWLEDGE_NOTIFICATIONS -> AccessPolicy.mayFollowPatient(view, decide.caller(), pseudonym, true);
      case STORE_RECORD -> AccessPolicy.mayAnchor(view, decide.caller(), pseudonym);
      case MANAGE_RECORD -> AccessPolicy.mayManage(view, decide.caller(), decide.recordId());
    };
    decide.replyTo().tell(new Decision(pseudonym, rejection.orElse(null), slice.height(), at, address));
    return this;
  }

  private Behavior<Command> onBlockApplied(BlockApplied update) {
    if (!loaded) {
      // applied once the slice it follows has loaded; if the stash is full it is dropped, and the gap
      // it leaves is noticed at the next change
      if (!stash.isFull()) {
        stash.stash(update);
      }
      return this;
    }
    switch (slice.fit(update.change())) {
      case NEXT -> adopt(slice.next(update.height(), update.timeMillis(), update.change()));
      case DUPLICATE -> { }
      case GAP -> {
        if (!reloading) {
          load();
        }
      }
    }
    return this;
  }

  private Behavior<Command> onLoaded(Loaded loaded) {
    reloading = false;
    adopt(slice.newer(loaded.at().slice()));
    return ready();
  }

  private Behavior<Command> onLoadFailed(LoadFailed failed) {
    context.getLog().warn("Access contract of {} could not load its slice ({}); retrying", pseudonym, failed.reason());
    timers.startSingleTimer(Reload.INSTANCE, askTimeout);
    return this;
  }

  private void adopt(PatientSlice next) {
    if (next != slice) {
      slice = next;
      view = next.access().view();
    }
  }

  /** The first slice from the replica is a state derived from the chain: decisions (and stashed changes) may start. */
  private Behavior<Command> ready() {
    if (!loaded) {
      loaded = true;
      return stash.unstashAll(this);
    }
    return this;
  }
}
