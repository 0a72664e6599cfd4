package org.latticare.node.contract;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.sharding.typed.ShardingEnvelope;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.PatientChange;

/**
 * Routes committed blocks to the patients' entities: subscribes to its node's {@link ChainReplica}
 * and, for each patient a block touches, sends the patient's update through Cluster Sharding to its
 * {@link AccessContract} and its {@link PatientGateway}, waking them if they are not running.
 *
 * <p>Every node runs one, so each entity gets each update once per node and dedupes (the contract by
 * height, the gateway by transaction hash). That is the price of having no single point to fail or
 * hand over: with one feed (a cluster singleton, say) the blocks committed while it moves between nodes
 * would reach nobody until an entity restarted. The duplicates are few (one per consortium node, a
 * handful) and small (the records a block touched and a few transaction summaries, against a block of signed
 * transactions that the producer already sends to every node), and any node that has persisted the
 * block delivers it first, so a lagging replica delays nothing.
 */
public final class ContractFeed extends AbstractBehavior<ContractFeed.Command> {

  public interface Command extends CborSerializable {}

  private record Committed(ChainReplica.BlockCommitted block) implements Command {}

  private final ActorRef<ChainReplica.Command> replica;
  private final ActorRef<ChainReplica.BlockCommitted> subscription;
  private final ActorRef<ShardingEnvelope<AccessContract.Command>> contracts;
  private final ActorRef<ShardingEnvelope<PatientGateway.Command>> gateways;

  public static Behavior<Command> create(ActorRef<ChainReplica.Command> replica,
      ActorRef<ShardingEnvelope<AccessContract.Command>> contracts,
      ActorRef<ShardingEnvelope<PatientGateway.Command>> gateways) {
    return Behaviors.setup(context -> new ContractFeed(context, replica, contracts, gateways));
  }

  private ContractFeed(ActorContext<Command> context, ActorRef<ChainReplica.Command> replica,
      ActorRef<ShardingEnvelope<AccessContract.Command>> contracts,
      ActorRef<ShardingEnvelope<PatientGateway.Command>> gateways) {
    super(context);
    this.replica = replica;
    this.contracts = contracts;
    this.gateways = gateways;
    this.subscription = context.messageAdapter(ChainReplica.BlockCommitted.class, Committed::new);
    replica.tell(new ChainReplica.Subscribe(subscription));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Committed.class, this::onCommitted)
        .onSignal(PreRestart.class, signal -> {
          // the restarted feed subscribes again; the replica must not keep a second subscription
          replica.tell(new ChainReplica.Unsubscribe(subscription));
          return this;
        })
        .build();
  }

  private Behavior<Command> onCommitted(Committed committed) {
    ChainReplica.BlockCommitted block = committed.block();
    for (PatientChange change : block.patients()) {
      contracts.tell(new ShardingEnvelope<>(change.pseudonym(),
          new AccessContract.BlockApplied(block.height(), block.timeMillis(), change)));
      gateways.tell(new ShardingEnvelope<>(change.pseudonym(),
          new PatientGateway.BlockApplied(block.height(), block.timeMillis(), change)));
    }
    return this;
  }
}
