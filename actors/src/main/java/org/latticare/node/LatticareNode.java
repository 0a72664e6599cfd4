package org.latticare.node;

import java.time.Duration;
import java.util.Optional;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import org.latticare.ledger.Block;
import org.latticare.ledger.index.ChainIndex;
import org.latticare.ledger.index.LevelDbChainIndex;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.VerifiedSignatures;
import org.latticare.ledger.store.ChainTruncation;
import org.latticare.ledger.store.RecordStore;
import org.latticare.node.chain.BlockProducer;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.ProducerPipeline;
import org.latticare.node.chain.ReplicaSync;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.contract.ContractFeed;
import org.latticare.node.contract.PatientGateway;
import org.latticare.node.http.auth.IdentityTokens;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.identity.IdentitySettings;
import org.latticare.node.identity.EnrolledProofKeys;
import org.latticare.node.records.RecordKeeper;
import org.latticare.node.ring.VerifierNode;

/**
 * A node's guardian: starts what the node's roles call for and tells who asks where it is.
 *
 * <p>Every node runs its {@link ChainReplica} (registered with the Receptionist, so producers and
 * peers find it, and on its own dispatcher), a {@link ReplicaSync} that catches it up with its peers,
 * a {@link Mempool} that admits transactions, and the proxy of the {@link BlockProducer} singleton,
 * which only {@code producer} nodes may host. A {@code verifier} node also runs a {@link VerifierNode}.
 * Every node hosts shards of the patients' {@link AccessContract}s and {@link PatientGateway}s, whose
 * entities read the replica of the node they run on, and a {@link ContractFeed} that routes its
 * replica's committed blocks to them, and shards of the {@link IdentityContract}s of identification sessions.
 */
public final class LatticareNode {

  public interface Command {}

  public record GetRefs(ActorRef<NodeRefs> replyTo) implements Command {}

  /**
   * Why a node stops to start again: its replica holds blocks the consortium never committed, which its next start
   * drops ({@link ChainTruncation}).
   */
  public enum ChainDiverged implements CoordinatedShutdown.Reason { INSTANCE }

  /**
   * Where this node's actors are; {@code verifier} is empty on a node without the role. {@code contracts}
   * and {@code gateways} are this node's sharding regions: a message to a pseudonym reaches its entity
   * wherever it runs. {@code tokens} issues identity tokens under this node's key and checks anyone's.
   */
  public record NodeRefs(
      NodeSettings settings,
      Block genesis,
      ActorRef<ChainReplica.Command> replica,
      ActorRef<ReplicaSync.Command> sync,
      ActorRef<Mempool.Command> mempool,
      ActorRef<BlockProducer.Command> producer,
      Optional<ActorRef<VerifierNode.Command>> verifier,
      ActorRef<ShardingEnvelope<AccessContract.Command>> contracts,
      ActorRef<ShardingEnvelope<PatientGateway.Command>> gateways,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> identities,
      RecordStore records,
      ActorRef<RecordKeeper.Command> recordKeeper,
      IdentityTokens tokens,
      EnrolledProofKeys proofKeys) {

    /** The same node seen with other settings (a front configured differently, in tests). */
    public NodeRefs withSettings(NodeSettings other) {
      return new NodeRefs(other, genesis, replica, sync, mempool, producer, verifier, contracts, gateways, identities,
          records, recordKeeper, tokens, proofKeys);
    }
  }

  /** Admitted transactions remembered as verified until their block: more than the mempool holds at once. */
  static final int VERIFIED_SIGNATURES = 100_000;

  private LatticareNode() {}

  /**
   * Every actor a node starts restarts on a failure: contracts, gateways and the feed hold only state derived
   * from the chain, which a restart derives again, the replica recovers from its journal, and the producer from
   * its replica; the backoff keeps a failure that repeats (a replica not answering) from spinning.
   */
  static <T> Behavior<T> restartOnFailure(Behavior<T> behavior) {
    return Behaviors.supervise(behavior).onFailure(
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
  }

  public static Behavior<Command> create(NodeSettings settings, Block genesis, MlDsa65.KeyPair nodeKey) {
    return Behaviors.setup(context -> {
      // a failure in one message restarts the replica, which recovers from its journal; it does not stop the chain
      // what this node's mempool verified, its replica does not verify again (other replicas verify everything)
      VerifiedSignatures verifiedSignatures = new VerifiedSignatures(VERIFIED_SIGNATURES);
      // opened here, not in the replica, so that a replica restarted on failure finds it open
      ChainIndex chainIndex = LevelDbChainIndex.open(settings.chainIndexDir());
      ActorRef<ChainReplica.Command> replica = context.spawn(restartOnFailure(
          ChainReplica.create(settings.nodeId(), genesis, settings.snapshotEvery(), settings.keepSnapshots(),
              CryptoPool.shared(), verifiedSignatures, chainIndex)),
          "chain-replica", DispatcherSelector.fromConfig("latticare.replica-dispatcher"));
      context.getSystem().receptionist().tell(Receptionist.register(ChainReplica.SERVICE_KEY, replica));

      ActorRef<ReplicaSync.Command> sync = context.spawn(restartOnFailure(
          ReplicaSync.create(settings.nodeId(), replica, settings.syncInterval(), settings.askTimeout(),
              Math.max(settings.expectedMembers(), ConsortiumFiles.founding(genesis).members().size()),
              (request, dropped) -> {
                ChainTruncation.request(settings.dataDir(), request, dropped);
                CoordinatedShutdown.get(context.getSystem()).run(ChainDiverged.INSTANCE);
              })), "replica-sync");

      ActorRef<BlockProducer.Command> producer = ClusterSingleton.get(context.getSystem()).init(
          SingletonActor.of(restartOnFailure(BlockProducer.create(settings.nodeId(), nodeKey, replica, sync,
                  settings.expectedMembers(),
                  new ProducerPipeline.Limits(settings.producerMaxTransactions(), settings.producerMaxBlockBytes(),
                      settings.producerMaxDelay(), settings.mempoolMaxPending(), settings.producerMaxBlocksInFlight()),
                  settings.askTimeout(), settings.withholdBlock())), "block-producer")
              .withSettings(ClusterSingletonSettings.create(context.getSystem()).withRole(NodeSettings.ROLE_PRODUCER)));

      ActorRef<Mempool.Command> mempool = context.spawn(restartOnFailure(
          Mempool.create(replica, producer, CryptoPool.shared(), settings.askTimeout(), settings.mempoolMaxPending(),
              verifiedSignatures)),
          "mempool");

      IdentitySettings identity = IdentitySettings.from(context.getSystem().settings().config());
      Optional<ActorRef<VerifierNode.Command>> verifier = Optional.empty();
      if (settings.hasRole(NodeSettings.ROLE_VERIFIER)) {
        verifier = Optional.of(context.spawn(restartOnFailure(
            VerifierNode.create(settings.nodeId(), nodeKey, identity, settings.ringPassTimeout(), settings.ringAttempts())),
            VerifierNode.actorName(settings.nodeId()), DispatcherSelector.fromConfig("latticare.verifier-dispatcher")));
      }

      ClusterSharding sharding = ClusterSharding.get(context.getSystem());
      ActorRef<ShardingEnvelope<AccessContract.Command>> contracts = sharding.init(Entity.of(AccessContract.TYPE_KEY,
          entity -> restartOnFailure(AccessContract.create(entity.getEntityId(), replica, settings.askTimeout()))));
      // patients' proof keys read from their enrolments, once, for the identity contracts and the front's login
      EnrolledProofKeys proofKeys = new EnrolledProofKeys(context.getSystem(), replica, settings.askTimeout());
      IdentityContract.NodeContext identityNode = new IdentityContract.NodeContext(settings.nodeId(), nodeKey,
          ConsortiumFiles.founding(genesis), replica, mempool, proofKeys, identity, settings.askTimeout());
      ActorRef<ShardingEnvelope<IdentityContract.Command>> identities = sharding.init(Entity.of(
          IdentityContract.TYPE_KEY, entity -> IdentityContract.create(entity.getEntityId(), identityNode)));
      ActorRef<ShardingEnvelope<PatientGateway.Command>> gateways = sharding.init(Entity.of(PatientGateway.TYPE_KEY,
          entity -> restartOnFailure(PatientGateway.create(entity.getEntityId(), replica, identities, identity,
              settings.askTimeout()))));
      context.spawn(restartOnFailure(ContractFeed.create(replica, contracts, gateways)), "contract-feed");

      RecordStore records = RecordStore.open(settings.recordsDir());
      ActorRef<RecordKeeper.Command> recordKeeper = context.spawn(restartOnFailure(RecordKeeper.create(
              settings.nodeId(), records, replica, settings.askTimeout(), settings.uploadIdle())),
          "record-keeper", DispatcherSelector.blocking());
      context.getSystem().receptionist().tell(Receptionist.register(RecordKeeper.SERVICE_KEY, recordKeeper));

      NodeRefs refs = new NodeRefs(settings, genesis, replica, sync, mempool, producer, verifier, contracts, gateways,
          identities, records, recordKeeper, IdentityTokens.of(settings.nodeId(), nodeKey, ConsortiumFiles.founding(genesis),
              identity.tokenTtl()), proofKeys);
      // they restart on failure; should one stop anyway, the node cannot do its work: it leaves, and whatever runs
      // it (the multi-process supervisor, Kubernetes) starts it again on its data directory
      context.watch(replica);
      context.watch(sync);
      context.watch(mempool);
      context.watch(recordKeeper);
      verifier.ifPresent(context::watch);
      return Behaviors.receive(Command.class)
          .onMessage(GetRefs.class, request -> {
            request.replyTo().tell(refs);
            return Behaviors.same();
          })
          .onSignal(Terminated.class, terminated -> {
            context.getLog().error("{} stopped on node {}; the node shuts down so that it is started again",
                terminated.getRef().path().name(), settings.nodeId());
            context.getSystem().terminate();
            return Behaviors.same();
          })
          .onSignal(PostStop.class, signal -> {
            // children (the replica among them) have stopped before their parent's PostStop
            try {
              records.close();
            } catch (java.io.IOException e) {
              context.getLog().warn("The record store did not close cleanly: {}", e.getMessage());
            }
            try {
              chainIndex.close();
            } catch (IllegalStateException e) {
              context.getLog().warn("The chain index did not close cleanly: {}", e.getMessage());
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
