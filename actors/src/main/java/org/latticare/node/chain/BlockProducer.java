package org.latticare.node.chain;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.receptionist.Receptionist;
import akka.pattern.StatusReply;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Block;
import org.latticare.ledger.replica.ChainReplica;

/**
 * Orders blocks for the whole consortium: a Cluster Singleton among the nodes with role {@code producer}.
 *
 * <p>One block is in flight at a time. The producer builds it on the head of its own node's replica,
 * sends it to every replica registered with the Receptionist, and reports it committed once a majority
 * of them — its own replica among them — has persisted it. The majority is counted over at least
 * {@code consortiumSize} replicas, so a producer that sees only some of them (the Receptionist is
 * still gossiping, or the cluster is split) cannot commit alone. On fail-over the singleton starts again on
 * another node and resumes from that node's replica. This is the walking skeleton's producer: blocks
 * carry text entries and are not yet signed; the consensus issue replaces both.
 */
public final class BlockProducer {

  public interface Command extends CborSerializable {}

  public record ProduceBlock(List<String> entries, ActorRef<StatusReply<Committed>> replyTo) implements Command {}

  public record Committed(long height, String hash, int acknowledgements, int replicas) implements CborSerializable {}

  private record HeadBlock(Block block) implements Command {}

  private record ReplicasChanged(Receptionist.Listing listing) implements Command {}

  private record AppendResult(ActorRef<ChainReplica.Command> replica, Block block, boolean persisted, String error)
      implements Command {}

  private static final int STASH_CAPACITY = 10_000;

  private final ActorContext<Command> context;
  private final StashBuffer<Command> stash;
  private final String nodeId;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final Duration askTimeout;
  private final int consortiumSize;
  private Set<ActorRef<ChainReplica.Command>> replicas = Set.of();

  public static Behavior<Command> create(String nodeId, ActorRef<ChainReplica.Command> ownReplica,
      int consortiumSize, Duration askTimeout) {
    return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(context -> {
      ActorRef<Receptionist.Listing> adapter =
          context.messageAdapter(Receptionist.Listing.class, ReplicasChanged::new);
      context.getSystem().receptionist().tell(Receptionist.subscribe(ChainReplica.SERVICE_KEY, adapter));
      return new BlockProducer(context, stash, nodeId, ownReplica, consortiumSize, askTimeout).loadingHead();
    }));
  }

  private BlockProducer(ActorContext<Command> context, StashBuffer<Command> stash, String nodeId,
      ActorRef<ChainReplica.Command> ownReplica, int consortiumSize, Duration askTimeout) {
    this.context = context;
    this.consortiumSize = consortiumSize;
    this.stash = stash;
    this.nodeId = nodeId;
    this.ownReplica = ownReplica;
    this.askTimeout = askTimeout;
  }

  /** Waits for the own replica's head; blocks asked for meanwhile wait in the stash. */
  private Behavior<Command> loadingHead() {
    context.ask(Block.class, ownReplica, askTimeout, ChainReplica.GetHeadBlock::new,
        (block, failure) -> block != null ? new HeadBlock(block) : new HeadBlock(null));
    return Behaviors.receive(Command.class)
        .onMessage(ReplicasChanged.class, this::onReplicasChanged)
        .onMessage(HeadBlock.class, loaded -> {
          if (loaded.block() == null) {
            context.getLog().warn("Producer on {} could not read its replica's head; retrying", nodeId);
            return loadingHead();
          }
          context.getLog().info("Producer on {} resumes at height {}", nodeId, loaded.block().height());
          return stash.unstashAll(idle(loaded.block()));
        })
        .onMessage(Command.class, this::stashed)
        .build();
  }

  private Behavior<Command> idle(Block head) {
    return Behaviors.receive(Command.class)
        .onMessage(ReplicasChanged.class, this::onReplicasChanged)
        .onMessage(ProduceBlock.class, request -> commit(head, request))
        .onMessage(AppendResult.class, late -> Behaviors.same())
        .build();
  }

  private Behavior<Command> commit(Block head, ProduceBlock request) {
    Block block = Block.next(head, request.entries(), nodeId, System.currentTimeMillis());
    Set<ActorRef<ChainReplica.Command>> targets = new HashSet<>(replicas);
    targets.add(ownReplica);
    for (ActorRef<ChainReplica.Command> replica : targets) {
      context.askWithStatus(ChainReplica.Appended.class, replica, askTimeout,
          replyTo -> new ChainReplica.AppendBlock(block, replyTo),
          (appended, failure) -> new AppendResult(replica, block, appended != null,
              failure == null ? null : failure.getMessage()));
    }
    return committing(head, block, request, targets, new HashSet<>(), new HashSet<>());
  }

  private Behavior<Command> committing(Block head, Block block, ProduceBlock request,
      Set<ActorRef<ChainReplica.Command>> targets, Set<ActorRef<ChainReplica.Command>> acknowledged,
      Set<ActorRef<ChainReplica.Command>> refused) {
    int counted = Math.max(targets.size(), consortiumSize);
    int majority = counted / 2 + 1;
    return Behaviors.receive(Command.class)
        .onMessage(ReplicasChanged.class, this::onReplicasChanged)
        .onMessage(AppendResult.class, result -> {
          if (result.block() != block) {
            return Behaviors.same();
          }
          if (result.persisted()) {
            acknowledged.add(result.replica());
          } else {
            refused.add(result.replica());
            context.getLog().warn("Replica {} did not persist block {}: {}", result.replica().path(),
                block.height(), result.error());
          }
          if (acknowledged.size() >= majority && acknowledged.contains(ownReplica)) {
            request.replyTo().tell(StatusReply.success(
                new Committed(block.height(), block.hash().hex(), acknowledged.size(), counted)));
            return stash.unstashAll(idle(block));
          }
          if (refused.contains(ownReplica) || targets.size() - refused.size() < majority) {
            request.replyTo().tell(StatusReply.error("block " + block.height()
                + " was not persisted by a majority of replicas (" + acknowledged.size() + " of " + counted
                + "); it is not committed"));
            return loadingHead();
          }
          return Behaviors.same();
        })
        .onMessage(Command.class, this::stashed)
        .build();
  }

  private Behavior<Command> onReplicasChanged(ReplicasChanged changed) {
    replicas = Set.copyOf(changed.listing().getServiceInstances(ChainReplica.SERVICE_KEY));
    return Behaviors.same();
  }

  private Behavior<Command> stashed(Command command) {
    if (stash.isFull()) {
      if (command instanceof ProduceBlock request) {
        request.replyTo().tell(StatusReply.error("the producer is overloaded; try again"));
      }
      return Behaviors.same();
    }
    stash.stash(command);
    return Behaviors.same();
  }
}
