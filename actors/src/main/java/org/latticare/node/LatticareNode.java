package org.latticare.node;

import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.chain.BlockProducer;
import org.latticare.node.ring.VerifierNode;

/**
 * A node's guardian: starts what the node's roles call for and tells who asks where it is.
 *
 * <p>Every node runs its {@link ChainReplica} (registered with the Receptionist, so producers find
 * it) and joins the {@link BlockProducer} singleton's proxy; a {@code verifier} node runs a
 * {@link VerifierNode}; only {@code producer} nodes may host the producer itself.
 */
public final class LatticareNode {

  public interface Command {}

  public record GetRefs(ActorRef<NodeRefs> replyTo) implements Command {}

  /** Where this node's actors are; {@code verifier} is empty on a node without the role. */
  public record NodeRefs(
      NodeSettings settings,
      ActorRef<ChainReplica.Command> replica,
      Optional<ActorRef<VerifierNode.Command>> verifier,
      ActorRef<BlockProducer.Command> producer) {}

  private LatticareNode() {}

  public static Behavior<Command> create(NodeSettings settings) {
    return Behaviors.setup(context -> {
      ActorRef<ChainReplica.Command> replica = context.spawn(
          ChainReplica.create(settings.nodeId(), settings.consortium(), settings.snapshotEvery(),
              settings.keepSnapshots()),
          "chain-replica");
      context.getSystem().receptionist().tell(Receptionist.register(ChainReplica.SERVICE_KEY, replica));

      Optional<ActorRef<VerifierNode.Command>> verifier = Optional.empty();
      if (settings.hasRole(NodeSettings.ROLE_VERIFIER)) {
        verifier = Optional.of(context.spawn(
            VerifierNode.create(settings.nodeId(), settings.ringPassTimeout(), settings.ringAttempts()),
            VerifierNode.actorName(settings.nodeId())));
      }

      ActorRef<BlockProducer.Command> producer = ClusterSingleton.get(context.getSystem()).init(
          SingletonActor.of(BlockProducer.create(settings.nodeId(), replica, settings.expectedMembers(),
              settings.askTimeout()), "block-producer")
              .withSettings(ClusterSingletonSettings.create(context.getSystem()).withRole(NodeSettings.ROLE_PRODUCER)));

      NodeRefs refs = new NodeRefs(settings, replica, verifier, producer);
      return Behaviors.receive(Command.class)
          .onMessage(GetRefs.class, request -> {
            request.replyTo().tell(refs);
            return Behaviors.same();
          })
          .build();
    });
  }
}
