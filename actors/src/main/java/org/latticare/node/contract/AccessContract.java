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
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.tx.TxBody;

/**
 * A patient's access contract: one sharded entity per pseudonym that answers "may this caller read
 * this record of the patient, or see the patient's views, now?" by {@link AccessPolicy}, over the
 * patient's {@link PatientAccess} slice.
 *
 * <p>Its state is derived from committed blocks only: on start it asks its node's replica for the
 * slice at the head, and {@link ContractFeed}s keep it current with every block that touches the
 * patient. Each node's feed sends each update, so the contract keeps the slice of the highest height
 * it has seen and ignores the rest; a slice is the whole state after its block, so updates may arrive
 * in any order and from replicas at different heights. It writes nothing: the ledger changes only by
 * transactions through the mempool. Passivation loses nothing, since a restart re-derives the slice.
 *
 * <p>Time is the latest block time the contract knows, or the caller's clock when later, so that a
 * grant ends when its time passes even if no block has been committed since.
 */
public final class AccessContract extends AbstractBehavior<AccessContract.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AccessContract");

  /** Decisions asked while the slice is loading wait for it; beyond this many they are dropped (the asker times out). */
  private static final int STASH_CAPACITY = 1000;

  public interface Command extends CborSerializable {}

  public enum Action { READ_RECORD, VIEW_PATIENT }

  /**
   * Whether {@code caller} may do {@code action} ({@code recordId} names the record for
   * {@link Action#READ_RECORD}, and is ignored for {@link Action#VIEW_PATIENT}) at
   * {@code callerTimeMillis}, or at the latest block's time if that is later.
   */
  public record Decide(TxBody.Identity caller, Action action, String recordId, long callerTimeMillis,
      ActorRef<Decision> replyTo) implements Command {}

  /** The patient's slice after block {@code height}, timestamped {@code timeMillis}: what a feed sends. */
  public record BlockApplied(long height, long timeMillis, PatientAccess access) implements Command {}

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
  private long height = -1;
  private long timeMillis;
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
    load();
  }

  private void load() {
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
    long at = Math.max(decide.callerTimeMillis(), timeMillis);
    Optional<Rejection> rejection = decide.action() == Action.VIEW_PATIENT
        ? AccessPolicy.mayViewPatient(view, decide.caller(), pseudonym, at)
        : AccessPolicy.mayRead(view, decide.caller(), decide.recordId(), at);
    decide.replyTo().tell(new Decision(pseudonym, rejection.orElse(null), height, at, address));
    return this;
  }

  private Behavior<Command> onBlockApplied(BlockApplied update) {
    adopt(update.height(), update.timeMillis(), update.access());
    return ready();
  }

  private Behavior<Command> onLoaded(Loaded loaded) {
    adopt(loaded.at().height(), loaded.at().timeMillis(), loaded.at().access());
    return ready();
  }

  private Behavior<Command> onLoadFailed(LoadFailed failed) {
    if (!loaded) {
      context.getLog().warn("Access contract of {} could not load its slice ({}); retrying", pseudonym, failed.reason());
      timers.startSingleTimer(Reload.INSTANCE, askTimeout);
    }
    return this;
  }

  /** Keeps the slice of the highest block seen: the same update comes from every node's feed. */
  private void adopt(long blockHeight, long blockTime, PatientAccess slice) {
    if (blockHeight > height) {
      height = blockHeight;
      timeMillis = Math.max(timeMillis, blockTime);
      view = slice.view();
    }
  }

  /** Any slice, from the replica or from a block, is a state derived from the chain: decisions may start. */
  private Behavior<Command> ready() {
    if (!loaded) {
      loaded = true;
      return stash.unstashAll(this);
    }
    return this;
  }
}
