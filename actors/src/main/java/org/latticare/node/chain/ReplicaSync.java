package org.latticare.node.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.Block;
import org.latticare.ledger.BlockHeader;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.replica.ForkCheck;
import org.latticare.ledger.store.ChainTruncation;

/**
 * Catch-up for this node's replica: every {@code interval}, and whenever asked ({@link SyncNow}), it
 * compares its replica's head with every peer's and, if a peer is ahead, fetches the missing blocks
 * from it in batches and hands them to its own replica one by one — which validates each in full
 * before persisting it, exactly as it validates a block from the producer. The replica reports a block that
 * arrives ahead of its head ({@link ChainReplica.Behind}) and a round starts at once, so a restarted follower
 * closes its gap in one round and then appends, in order, the new blocks it held meanwhile.
 *
 * <p>When this replica's head contradicts the peers' (a peer holds another block at its height, or the next block a
 * peer sends does not link to it), it compares the hashes of its last {@link ForkCheck#WINDOW} blocks with every
 * peer's. If a majority of the consortium holds other blocks ({@link ForkCheck}), this replica's were never
 * committed (its producer died before a majority had them): it takes a copy of them and hands them to the
 * {@link ForkHandler}, which has them dropped at the node's next start, and does no more rounds. Short of a majority
 * it drops nothing and says so.
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

  private record BlockStored(int round, ChainReplica.Appended stored, String problem) implements Command {}

  private record GapSeen(ChainReplica.Behind behind) implements Command {}

  private record HashesSeen(int round, ActorRef<ChainReplica.Command> replica, ChainReplica.Hashes hashes)
      implements Command {}

  private record OwnBlocksRead(int round, ChainReplica.Blocks blocks) implements Command {}

  /** What the node does with blocks its replica holds that the consortium never committed. */
  @FunctionalInterface
  public interface ForkHandler {
    /**
     * Called once, with the blocks to drop ({@code dropped}, encoded, from {@code request.keepHeight() + 1} up):
     * keep the request and the blocks, and restart the node so that the next start drops them. Throws if it cannot.
     */
    void dropAndRestart(ChainTruncation.Request request, List<byte[]> dropped) throws Exception;

    /** Drops nothing (a replica outside a node): the divergence is only logged. */
    ForkHandler REFUSE = (request, dropped) -> {
      throw new IllegalStateException("this replica has no node to restart");
    };
  }

  private final String nodeId;
  private final ActorRef<ChainReplica.Command> ownReplica;
  private final Duration askTimeout;
  private final int consortiumSize;
  private final ForkHandler forkHandler;
  private Set<ActorRef<ChainReplica.Command>> replicas = Set.of();
  private final List<ActorRef<Synced>> waiting = new ArrayList<>();

  private int round;
  private boolean running;
  /** A gap was reported during a round: another round follows it at once. */
  private boolean again;
  private int expectedHeads;
  private int headsSeen;
  private long ownHeight = -1;
  private String ownHash;
  private final Map<ActorRef<ChainReplica.Command>, ChainReplica.Head> peerHeads = new HashMap<>();
  /** Peers this round fetches nothing from: they hold blocks a majority does not. */
  private final Set<ActorRef<ChainReplica.Command>> passedOver = new HashSet<>();
  private long bestHeight = -1;
  private ActorRef<ChainReplica.Command> bestPeer;
  private List<byte[]> toStore = List.of();
  private int nextToStore;
  /** The fork check of this round: the hashes seen, by replica, and how many are awaited. */
  private final Map<ActorRef<ChainReplica.Command>, ChainReplica.Hashes> hashes = new HashMap<>();
  private int expectedHashes;
  private ForkCheck.Truncate truncation;
  /** The peer whose block did not link to this replica's head, if that started the fork check. */
  private ActorRef<ChainReplica.Command> suspect;
  private boolean checkedThisRound;
  private final List<byte[]> dropped = new ArrayList<>();
  /** Blocks to drop were handed over: the node restarts, and this replica follows nothing until then. */
  private boolean restarting;

  /** Catch-up that drops nothing on a divergence (see {@link ForkHandler#REFUSE}). */
  public static Behavior<Command> create(String nodeId, ActorRef<ChainReplica.Command> ownReplica, Duration interval,
      Duration askTimeout) {
    return create(nodeId, ownReplica, interval, askTimeout, 1, ForkHandler.REFUSE);
  }

  /**
   * {@code consortiumSize}: the members of the consortium, over which a majority is counted (the replicas in sight
   * count if there are more).
   */
  public static Behavior<Command> create(String nodeId, ActorRef<ChainReplica.Command> ownReplica, Duration interval,
      Duration askTimeout, int consortiumSize, ForkHandler forkHandler) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      return new ReplicaSync(context, nodeId, ownReplica, askTimeout, consortiumSize, forkHandler);
    }));
  }

  private ReplicaSync(ActorContext<Command> context, String nodeId, ActorRef<ChainReplica.Command> ownReplica,
      Duration askTimeout, int consortiumSize, ForkHandler forkHandler) {
    super(context);
    this.nodeId = nodeId;
    this.ownReplica = ownReplica;
    this.askTimeout = askTimeout;
    this.consortiumSize = consortiumSize;
    this.forkHandler = forkHandler;
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
        .onMessage(HashesSeen.class, this::onHashesSeen)
        .onMessage(OwnBlocksRead.class, this::onOwnBlocksRead)
        .build();
  }

  private Behavior<Command> startRound() {
    if (running || restarting) {
      if (restarting) {
        waiting.forEach(w -> w.tell(new Synced(-1, "the node restarts to drop blocks that were never committed")));
        waiting.clear();
      }
      return this;
    }
    running = true;
    round++;
    int thisRound = round;
    headsSeen = 0;
    ownHeight = -1;
    ownHash = null;
    peerHeads.clear();
    passedOver.clear();
    suspect = null;
    checkedThisRound = false;
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
        ownHash = seen.head().hash();
      } else {
        peerHeads.put(seen.replica(), seen.head());
      }
    }
    if (headsSeen < expectedHeads) {
      return this;
    }
    if (ownHeight < 0) {
      return finish(-1, "this node's replica did not answer");
    }
    boolean contradicted = peerHeads.values().stream()
        .anyMatch(head -> head.height() == ownHeight && !head.hash().equals(ownHash));
    if (contradicted) {
      return checkFork();
    }
    pickBestPeer();
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
    if (!linksToOwnHead(toStore.get(0))) {
      suspect = fetched.peer();
      return checkFork();
    }
    return storeNext();
  }

  private Behavior<Command> storeNext() {
    int thisRound = round;
    byte[] block = toStore.get(nextToStore);
    getContext().askWithStatus(ChainReplica.Appended.class, ownReplica, askTimeout,
        replyTo -> new ChainReplica.AppendBlock(block, replyTo),
        (appended, failure) -> new BlockStored(thisRound, appended, failure == null ? null : failure.getMessage()));
    return this;
  }

  private Behavior<Command> onBlockStored(BlockStored stored) {
    if (stored.round() != round || !running) {
      return this;
    }
    if (stored.stored() == null) {
      getContext().getLog().error("Replica of {} refused a block fetched from a peer at height {}: {}", nodeId,
          ownHeight + 1, stored.problem());
      return finish(-1, "a fetched block was refused: " + stored.problem());
    }
    ownHeight++;
    ownHash = stored.stored().hash();
    nextToStore++;
    if (nextToStore < toStore.size()) {
      return storeNext();
    }
    return ownHeight < bestHeight ? fetch() : finish(ownHeight, null);
  }

  /** The highest peer, among those not passed over in this round. */
  private void pickBestPeer() {
    bestPeer = null;
    bestHeight = -1;
    peerHeads.forEach((replica, head) -> {
      if (!passedOver.contains(replica) && head.height() > bestHeight) {
        bestHeight = head.height();
        bestPeer = replica;
      }
    });
  }

  /** Whether a block fetched for the height after this replica's head links to its head. */
  private boolean linksToOwnHead(byte[] encoded) {
    try {
      // the header alone: the replica decodes and validates the whole block when it is handed over
      BlockHeader header = Block.headerOf(encoded);
      return header.height() != ownHeight + 1 || header.previousHash().hex().equals(ownHash);
    } catch (MalformedEncodingException e) {
      return true; // the replica refuses it, with the reason
    }
  }

  // ---- blocks the consortium never committed -----------------------------------------------------------------

  /** Asks every replica in sight, this one included, for the hashes of this replica's last blocks. */
  private Behavior<Command> checkFork() {
    int thisRound = round;
    if (checkedThisRound) {
      return finish(ownHeight, null); // at most one comparison per round
    }
    checkedThisRound = true;
    long from = Math.max(1, ownHeight - ForkCheck.WINDOW + 1);
    hashes.clear();
    List<ActorRef<ChainReplica.Command>> all = new ArrayList<>(peerHeads.keySet());
    all.add(ownReplica);
    expectedHashes = all.size();
    for (ActorRef<ChainReplica.Command> replica : all) {
      getContext().ask(ChainReplica.Hashes.class, replica, askTimeout,
          replyTo -> new ChainReplica.GetHashes(from, ForkCheck.WINDOW, replyTo),
          (answer, failure) -> new HashesSeen(thisRound, replica, answer));
    }
    return this;
  }

  private Behavior<Command> onHashesSeen(HashesSeen seen) {
    if (seen.round() != round || !running) {
      return this;
    }
    if (seen.hashes() != null) {
      hashes.put(seen.replica(), seen.hashes());
    }
    if (--expectedHashes > 0) {
      return this;
    }
    ChainReplica.Hashes own = hashes.remove(ownReplica);
    if (own == null || own.hashes().isEmpty()) {
      return finish(-1, "this node's replica did not give its hashes");
    }
    // one vote per node: a member cannot count twice by showing two replicas
    Map<String, ForkCheck.Window> peers = new HashMap<>();
    hashes.forEach((replica, answer) -> peers.put(replica.path().address().toString(),
        new ForkCheck.Window(answer.fromHeight(), answer.hashes())));
    int size = Math.max(consortiumSize, peers.size() + 1);
    ForkCheck.Verdict verdict = ForkCheck.check(new ForkCheck.Window(own.fromHeight(), own.hashes()), peers, size);
    if (verdict instanceof ForkCheck.Truncate truncate) {
      getContext().getLog().warn("CHAIN_FORK_DROPPED: replica of {} holds blocks {} to {} that the consortium never"
              + " committed ({} of {} replicas hold block {} at height {}): it keeps a copy of them, and the node"
              + " restarts to drop them and follow the committed chain from height {}", nodeId,
          truncate.keepHeight() + 1, own.fromHeight() + own.hashes().size() - 1, truncate.holders(), size,
          truncate.committedHash(), truncate.keepHeight() + 1, truncate.keepHeight());
      truncation = truncate;
      dropped.clear();
      return readOwnBlocks();
    }
    if (verdict instanceof ForkCheck.Agree) {
      // a majority holds this replica's blocks: a peer that contradicts them holds blocks never committed (it drops
      // them itself), and nothing is fetched from it; another peer ahead may still be followed
      getContext().getLog().debug("Replica of {} at height {} is on the majority's chain; a peer is not", nodeId,
          ownHeight);
      if (suspect != null) {
        passedOver.add(suspect);
        suspect = null;
      }
      peerHeads.forEach((replica, head) -> {
        if (head.height() == ownHeight && !head.hash().equals(ownHash)) {
          passedOver.add(replica);
        }
      });
      pickBestPeer();
      return bestPeer == null || bestHeight <= ownHeight ? finish(ownHeight, null) : fetch();
    }
    String problem = verdict instanceof ForkCheck.TooDeep deep
        ? "CHAIN_FORK_TOO_DEEP: " + deep.reason()
        : "CHAIN_FORK_UNCONFIRMED: " + ((ForkCheck.Unconfirmed) verdict).reason();
    getContext().getLog().error("Replica of {} at height {} does not follow its peers and drops nothing: {}", nodeId,
        ownHeight, problem);
    return finish(-1, problem);
  }

  private Behavior<Command> readOwnBlocks() {
    int thisRound = round;
    long from = truncation.keepHeight() + 1 + dropped.size();
    getContext().ask(ChainReplica.Blocks.class, ownReplica, askTimeout,
        replyTo -> new ChainReplica.GetBlocks(from, ForkCheck.WINDOW, replyTo),
        (blocks, failure) -> new OwnBlocksRead(thisRound, blocks));
    return this;
  }

  private Behavior<Command> onOwnBlocksRead(OwnBlocksRead read) {
    if (read.round() != round || !running) {
      return this;
    }
    if (read.blocks() == null || read.blocks().blocks().isEmpty()) {
      return finish(-1, "this node's replica did not give the blocks to drop");
    }
    for (byte[] block : read.blocks().blocks()) {
      if (dropped.size() < truncation.dropped().size()) {
        dropped.add(block);
      }
    }
    if (dropped.size() < truncation.dropped().size()) {
      return readOwnBlocks();
    }
    for (int i = 0; i < dropped.size(); i++) {
      if (!Block.headerOf(dropped.get(i)).hash().hex().equals(truncation.dropped().get(i))) {
        return finish(-1, "this node's replica changed while its blocks were compared");
      }
    }
    ChainTruncation.Request request = new ChainTruncation.Request(ChainReplica.persistenceIdOf(nodeId),
        truncation.keepHeight(), truncation.keepHash(), truncation.keepHeight() + dropped.size(),
        truncation.holders() + " replicas hold block " + truncation.committedHash() + " at height "
            + (truncation.keepHeight() + 1));
    try {
      forkHandler.dropAndRestart(request, List.copyOf(dropped));
    } catch (Exception e) {
      getContext().getLog().error("Replica of {} cannot drop blocks {} to {}: {}", nodeId, request.keepHeight() + 1,
          request.headHeight(), e.getMessage());
      return finish(-1, "the blocks to drop could not be handed over: " + e.getMessage());
    }
    restarting = true;
    return finish(-1, "the node restarts to drop blocks " + (request.keepHeight() + 1) + " to " + request.headHeight()
        + ", which were never committed");
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
