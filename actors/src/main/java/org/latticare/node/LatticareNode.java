package org.latticare.node;

import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import org.latticare.ledger.Block;
import org.latticare.ledger.MlDsa65;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.chain.BlockProducer;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.ReplicaSync;
import org.latticare.node.ring.VerifierNode;

/**
 * A node's guardian: starts what the node's roles call for and tells who asks where it is.
 *
 * <p>Every node runs its {@link ChainReplica} (registered with the Receptionist, so producers and
 * peers find it, and on its own dispatcher), a {@link ReplicaSync} that catches it up with its peers,
 * a {@link Mempool} that admits transactions, and the proxy of the {@link BlockProducer} singleton,
 * which only {@code producer} nodes may host. A {@code verifier} node also runs a {@link VerifierNode}.
 */
public final class LatticareNode {

  public interface Command {}

  public record GetRefs(ActorRef<NodeRefs> replyTo) implements Command {}

  /** Where this node's actors are; {@code verifier} is empty on a node without the role. */
  public record NodeRefs(
      NodeSettings settings,
      Block genesis,
      ActorRef<ChainReplica.Command> replica,
      ActorRef<ReplicaSync.Command> sync,
      ActorRef<Mempool.Command> mempool,
      ActorRef<BlockProducer.Command> producer,
      Optional<ActorRef<VerifierNode.Command>> verifier) {}

  private LatticareNode() {}

  public static Behavior<Command> create(NodeSettings settings, Block genesis, MlDsa65.KeyPair nodeKey) {
    return Behaviors.setup(context -> {
      ActorRef<ChainReplica.Command> replica = context.spawn(
          ChainReplica.create(settings.nodeId(), genesis, settings.snapshotEvery(), settings.keepSnapshots(),
              CryptoPool.shared()),
          "chain-replica", DispatcherSelector.fromConfig("latticare.replica-dispatcher"));
      context.getSystem().receptionist().tell(Receptionist.register(ChainReplica.SERVICE_KEY, replica));

      ActorRef<ReplicaSync.Command> sync = context.spawn(
          ReplicaSync.create(settings.nodeId(), replica, settings.syncInterval(), settings.askTimeout()), "replica-sync");

      ActorRef<BlockProducer.Command> producer = ClusterSingleton.get(context.getSystem()).init(
          SingletonActor.of(BlockProducer.create(settings.nodeId(), nodeKey, replica, sync, settings.expectedMembers(),
                  new BlockProducer.Limits(settings.producerMaxTransactions(), settings.producerMaxBlockBytes(),
                      settings.producerMaxDelay(), settings.mempoolMaxPending(), settings.producerMaxBlocksInFlight()),
                  settings.askTimeout()), "block-producer")
              .withSettings(ClusterSingletonSettings.create(context.getSystem()).withRole(NodeSettings.ROLE_PRODUCER)));

      ActorRef<Mempool.Command> mempool = context.spawn(
          Mempool.create(replica, producer, CryptoPool.shared(), settings.askTimeout(), settings.mempoolMaxPending()),
          "mempool");

      Optional<ActorRef<VerifierNode.Command>> verifier = Optional.empty();
      if (settings.hasRole(NodeSettings.ROLE_VERIFIER)) {
        verifier = Optional.of(context.spawn(
            VerifierNode.create(settings.nodeId(), settings.ringPassTimeout(), settings.ringAttempts()),
            VerifierNode.actorName(settings.nodeId())));
      }

      NodeRefs refs = new NodeRefs(settings, genesis, replica, sync, mempool, producer, verifier);
      return Behaviors.receive(Command.class)
          .onMessage(GetRefs.class, request -> {
            request.replyTo().tell(refs);
            return Behaviors.same();
          })
          .build();
    });
  }
}
