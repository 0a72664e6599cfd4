package org.latticare.ledger.replica;

import java.util.List;
import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.ServiceKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Block;

/**
 * One node's replica of the chain, event-sourced to the node's own LevelDB journal.
 *
 * <p>Runs locally on every node under {@code PersistenceId.of("ChainReplica", nodeId)}: the journal
 * is per node, so the replica is never moved between nodes. The genesis block is persisted on the
 * first command a fresh replica receives. Every appended block is checked against the head before
 * it is persisted, and the whole chain is re-checked after recovery: a replica whose journal does not
 * form a chain stops with the first bad block named in the log rather than serve it.
 */
public final class ChainReplica
    extends EventSourcedBehavior<ChainReplica.Command, ChainReplica.Event, ChainState> {

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "chain-replica");

  public interface Command extends CborSerializable {}

  /** Appends {@code block} if it follows the head; a block already on chain is acknowledged again. */
  public record AppendBlock(Block block, ActorRef<StatusReply<Appended>> replyTo) implements Command {}

  public record GetHead(ActorRef<Head> replyTo) implements Command {}

  public record GetHeadBlock(ActorRef<Block> replyTo) implements Command {}

  public record GetBlock(long height, ActorRef<StatusReply<Block>> replyTo) implements Command {}

  public record Appended(String nodeId, long height, String hash) implements CborSerializable {}

  public record Head(String nodeId, long height, String hash, long timestampMillis, String producerId)
      implements CborSerializable {}

  public interface Event extends CborSerializable {}

  public record BlockAppended(Block block) implements Event {}

  /** What the snapshot store keeps of a {@link ChainState}: its blocks, in order. */
  public record ChainSnapshot(List<Block> blocks) implements CborSerializable {}

  private final ActorContext<Command> context;
  private final String nodeId;
  private final Block genesis;
  private final int snapshotEvery;
  private final int keepSnapshots;

  public static Behavior<Command> create(String nodeId, String consortium, int snapshotEvery, int keepSnapshots) {
    return Behaviors.setup(ctx -> new ChainReplica(ctx, nodeId, consortium, snapshotEvery, keepSnapshots));
  }

  private ChainReplica(
      ActorContext<Command> context, String nodeId, String consortium, int snapshotEvery, int keepSnapshots) {
    super(PersistenceId.of("ChainReplica", nodeId));
    this.context = context;
    this.nodeId = nodeId;
    this.genesis = Block.genesis(consortium);
    this.snapshotEvery = snapshotEvery;
    this.keepSnapshots = keepSnapshots;
  }

  @Override
  public ChainState emptyState() {
    return ChainState.empty();
  }

  @Override
  public CommandHandler<Command, Event, ChainState> commandHandler() {
    var builder = newCommandHandlerBuilder();
    builder.forState(ChainState::isEmpty).onAnyCommand(this::persistGenesisThenRetry);
    builder.forAnyState()
        .onCommand(AppendBlock.class, this::onAppend)
        .onCommand(GetHead.class, (state, cmd) -> Effect().none().thenRun(s -> cmd.replyTo().tell(head(s))))
        .onCommand(GetHeadBlock.class, (state, cmd) -> Effect().none().thenRun(s -> cmd.replyTo().tell(s.head())))
        .onCommand(GetBlock.class, this::onGetBlock);
    return builder.build();
  }

  private Effect<Event, ChainState> persistGenesisThenRetry(ChainState state, Command command) {
    context.getLog().info("Replica {} starts a new chain from the genesis block {}", nodeId, genesis.hash());
    return Effect().persist(new BlockAppended(genesis)).thenRun(s -> context.getSelf().tell(command));
  }

  private Effect<Event, ChainState> onAppend(ChainState state, AppendBlock command) {
    Block block = command.block();
    Optional<Block> existing = state.block(block.height());
    if (existing.isPresent()) {
      if (existing.get().equals(block)) {
        return Effect().none().thenRun(s -> command.replyTo().tell(StatusReply.success(appended(block))));
      }
      return Effect().reply(command.replyTo(),
          StatusReply.error("height " + block.height() + " already holds a different block"));
    }
    Optional<String> rejection = state.head().rejectAsSuccessor(block);
    if (rejection.isPresent()) {
      return Effect().reply(command.replyTo(), StatusReply.error(rejection.get()));
    }
    return Effect().persist(new BlockAppended(block))
        .thenReply(command.replyTo(), s -> StatusReply.success(appended(block)));
  }

  private Effect<Event, ChainState> onGetBlock(ChainState state, GetBlock command) {
    StatusReply<Block> reply = state.block(command.height())
        .map(StatusReply::success)
        .orElseGet(() -> StatusReply.error("no block at height " + command.height()
            + " (head is " + state.head().height() + ")"));
    return Effect().reply(command.replyTo(), reply);
  }

  @Override
  public EventHandler<ChainState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(BlockAppended.class, (state, event) -> state.append(event.block()))
        .build();
  }

  @Override
  public SignalHandler<ChainState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::verifyRecoveredChain)
        .build();
  }

  private void verifyRecoveredChain(ChainState state) {
    Optional<String> problem = state.firstInconsistency(genesis);
    if (problem.isPresent()) {
      String message = "Replica " + nodeId + " refuses to start: its journal does not form a valid chain: "
          + problem.get();
      context.getLog().error(message);
      throw new ChainCorruptedException(message);
    }
    if (!state.isEmpty()) {
      context.getLog().info("Replica {} recovered {} blocks, head {}", nodeId, state.size(), state.head().hash());
    }
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, keepSnapshots);
  }

  @Override
  public SnapshotAdapter<ChainState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(ChainState state) {
        return new ChainSnapshot(state.blocks());
      }

      @Override
      public ChainState fromJournal(Object snapshot) {
        return ChainState.of(((ChainSnapshot) snapshot).blocks());
      }
    };
  }

  private Appended appended(Block block) {
    return new Appended(nodeId, block.height(), block.hash().hex());
  }

  private Head head(ChainState state) {
    Block head = state.head();
    return new Head(nodeId, head.height(), head.hash().hex(), head.header().timestampMillis(),
        head.header().producerId());
  }

  /** The journal on disk does not form this consortium's chain. */
  public static final class ChainCorruptedException extends IllegalStateException {
    public ChainCorruptedException(String message) {
      super(message);
    }
  }
}
