package org.latticare.node.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.replica.ChainReplica;

/**
 * Catch-up for this node's replica: every {@code interval}, and whenever asked ({@link SyncNow}), it
 * compares its replica's head with every peer's and, if a peer is ahead, fetches the missing blocks
 * from it in batches and hands them to its own replica one by one — which validates each in full
 * before persisting it, exactly as it validates a block from the producer. The replica reports a block that
 * arrives ahead of its head ({@link ChainReplica.Behind}) and a round starts at once, so a restarted follower
 * closes its gap in one round and then appends, in order, the new blocks it held meanwhile.
 */
public final class ReplicaSync extends AbstractBehavior<ReplicaSync.Command> {

  public interface Command extends CborSerializable {}

  /** Answers once this replica has reached the highest head among the reachable peers. */
  public record SyncNow(ActorRef<Synced> replyTo) implements Command {}

  /** The replica's height after syncing, or -1 and the problem. */
  public record Synced(long height, String problem) implements CborSerializable {}

  private enum Tick implements Command { INSTANCE }

  private record ReplicasChanged(Receptionist.Listing listing) implements Command {}

  private record HeadSeen(int round, ActorRef<ChainReplica.Command> replica, ChainReplica.Head head) implements Command {}

  private record BatchFetched(int round, ActorRef<ChainReplica.Command> peer, ChainReplica.Blocks blocks)
      implements Command {}

  private record BlockStored(int round, boolean stored, String problem) implements Command {}

  private record GapSeen(ChainReplica.Behind behind) implements Command {}

  private final String nodeId;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final Duration askTimeout;
  private Set<ActorRef<ChainReplica.Command>> replicas = Set.of();
  private final List<ActorRef<Synced>> waiting = new ArrayList<>();

  private int round;
  private boolean running;
  /** A gap was reported during a round: another round follows it at once. */
  private boolean again;
  private int expectedHeads;
  private int headsSeen;
  private long ownHeight = -1;
  private long bestHeight = -1;
  private ActorRef<ChainReplica.Command> bestPeer;
  private List<byte[]> toStore = List.of();
  private int nextToStore;

  public static Behavior<Command> create(String nodeId, ActorRef<ChainReplica.Command> ownReplica, Duration interval,
      Duration askTimeout) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return new ReplicaSync(context, nodeId, ownReplica, askTimeout);
    }));
  }

  private ReplicaSync(ActorContext<Command> context, String nodeId,
      ActorRef<ChainReplica.Command> ownReplica, Duration askTimeout) {
    super(context);
    this.nodeId = nodeId;
    this.ownReplica = ownReplica;
    this.askTimeout = askTimeout;
    ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, ReplicasChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(ChainReplica.SERVICE_KEY, adapter));
    ownReplica.tell(new ChainReplica.ListenForGaps(context.messageAdapter(ChainReplica.Behind.class, GapSeen::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReplicasChanged.class, changed -> {
          replicas = Set.copyOf(changed.listing().getServiceInstances(ChainReplica.SERVICE_KEY));
          return this;
        })
        .onMessageEquals(Tick.INSTANCE, () -> startRound())
        .onMessage(SyncNow.class, request -> {
          waiting.add(request.replyTo());
          return startRound();
        })
        .onMessage(GapSeen.class, gap -> {
          // the replica holds a block ahead of its head: fetch what is missing now, not at the next tick
          if (running) {
            again = true;
            return this;
          }
          return startRound();
        })
        .onMessage(HeadSeen.class, this::onHeadSeen)
        .onMessage(BatchFetched.class, this::onBatchFetched)
        .onMessage(BlockStored.class, this::onBlockStored)
        .build();
  }

  private Behavior<Command> startRound() {
    if (running) {
      return this;
    }
    running = true;
    round++;
    int thisRound = round;
    headsSeen = 0;
    ownHeight = -1;
    bestHeight = -1;
    bestPeer = null;
    List<ActorRef<ChainReplica.Command>> all = new ArrayList<>(replicas);
    if (!all.contains(ownReplica)) {
      all.add(ownReplica);
    }
    expectedHeads = all.size();
    for (ActorRef<ChainReplica.Command> replica : all) {
      getContext().ask(ChainReplica.Head.class, replica, askTimeout, ChainReplica.GetHead::new,
          (head, failure) -> new HeadSeen(thisRound, replica, head));
    }
    return this;
  }

  private Behavior<Command> onHeadSeen(HeadSeen seen) {
    if (seen.round() != round || !running) {
      return this;
    }
    headsSeen++;
    if (seen.head() != null) {
      if (seen.replica().equals(ownReplica)) {
        ownHeight = seen.head().height();
      } else if (seen.head().height() > bestHeight) {
        bestHeight = seen.head().height();
        bestPeer = seen.replica();
      }
    }
    if (headsSeen < expectedHeads) {
      return this;
    }
    if (ownHeight < 0) {
      return finish(-1, "this node's replica did not answer");
    }
    if (bestPeer == null || bestHeight <= ownHeight) {
      return finish(ownHeight, null);
    }
    getContext().getLog().info("Replica of {} is at height {}, a peer at {}: catching up", nodeId, ownHeight, bestHeight);
    return fetch();
  }

  private Behavior<Command> fetch() {
    int thisRound = round;
    ActorRef<ChainReplica.Command> peer = bestPeer;
    long from = ownHeight + 1;
    getContext().ask(ChainReplica.Blocks.class, peer, askTimeout,
        replyTo -> new ChainReplica.GetBlocks(from, ChainReplica.MAX_BLOCKS_PER_REQUEST, replyTo),
        (blocks, failure) -> new BatchFetched(thisRound, peer, blocks));
    return this;
  }

  private Behavior<Command> onBatchFetched(BatchFetched fetched) {
    if (fetched.round() != round || !running) {
      return this;
    }
    if (fetched.blocks() == null || fetched.blocks().blocks().isEmpty()) {
      return finish(ownHeight, fetched.blocks() == null ? "peer did not send the missing blocks" : null);
    }
    toStore = fetched.blocks().blocks();
    nextToStore = 0;
    return storeNext();
  }

  private Behavior<Command> storeNext() {
    int thisRound = round;
    byte[] block = toStore.get(nextToStore);
    getContext().askWithStatus(ChainReplica.Appended.class, ownReplica, askTimeout,
        replyTo -> new ChainReplica.AppendBlock(block, replyTo),
        (appended, failure) -> new BlockStored(thisRound, appended != null, failure == null ? null : failure.getMessage()));
    return this;
  }

  private Behavior<Command> onBlockStored(BlockStored stored) {
    if (stored.round() != round || !running) {
      return this;
    }
    if (!stored.stored()) {
      getContext().getLog().error("Replica of {} refused a block fetched from a peer at height {}: {}", nodeId,
          ownHeight + 1, stored.problem());
      return finish(-1, "a fetched block was refused: " + stored.problem());
    }
    ownHeight++;
    nextToStore++;
    if (nextToStore < toStore.size()) {
      return storeNext();
    }
    return ownHeight < bestHeight ? fetch() : finish(ownHeight, null);
  }

  private Behavior<Command> finish(long height, String problem) {
    running = false;
    Synced result = new Synced(height, problem);
    waiting.forEach(w -> w.tell(result));
    waiting.clear();
    if (again) {
      again = false;
      return startRound();
    }
    return this;
  }
}
