package org.latticare.node.ring;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import akka.pattern.StatusReply;
import org.latticare.cluster.CborSerializable;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.identity.IdentitySettings;
import org.latticare.node.identity.SeedStep;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.RingAccumulator;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.ring.VerifierSession;
import org.latticare.zkp.seed.SeedRingProtocol;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.wire.Decoded;

/**
 * A member of the verifier ring: one per node with the role {@code verifier}.
 *
 * <p>The ring is every verifier registered with the Receptionist, ordered by {@link RingOrder}; it
 * re-forms whenever the listing changes. A {@link RingPass} carries the ring it started on and an
 * accumulator; each hop draws a fresh 256-bit contribution {@code V_i}, folds it in as
 * {@code E2_i = SHA3-256(E2_{i-1} ‖ i ‖ V_i)} — the shape of the paper's E2 summation (equations
 * (5)–(7)) as the sound protocol uses it — and forwards to the next hop. The last hop returns the
 * pass to its origin, which answers the caller. A pass that has not come back within the timeout
 * (a node was lost) is started again on the ring as it is then.
 *
 * <p>It is also this node's seat in identification sessions: an {@link IdentityContract} fixes a session's
 * ring and sends every seat a {@link JoinSession}; the session's messages then arrive as canonical frames
 * ({@link SessionFrame}, {@link MessageCodec}) and drive this node's {@link VerifierSession} — its two E2
 * hops and its E4 check — whose output goes to the next seat (a protocol ring pass), to every seat and the
 * contract (the {@link ChallengeIssued}), or to the contract (the signed {@link Verdict}, with the node's
 * ledger signature when it accepts). Sessions are bounded ({@link IdentitySettings#maxSessions()}: beyond it a
 * join is refused) and expire ({@link IdentitySettings#sessionTimeout()}). The signatures and lattice checks
 * make it CPU-heavy, so it runs on its own dispatcher.
 */
public final class VerifierNode extends AbstractBehavior<VerifierNode.Command> {

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "verifier");

  public interface Command extends CborSerializable {}

  /** Runs one pass around the current ring, starting at its first member, and answers with its trace. */
  public record RunRingPass(ActorRef<StatusReply<RingTrace>> replyTo) implements Command {}

  public record GetRing(ActorRef<RingView> replyTo) implements Command {}

  /** The pass itself, travelling from hop to hop. */
  public record RingPass(
      String passId, int attempt, List<ActorRef<Command>> ring, byte[] accumulator, List<Hop> hops,
      ActorRef<Command> origin) implements Command {}

  public record RingPassCompleted(String passId, int attempt, byte[] accumulator, List<Hop> hops)
      implements Command {}

  /** What one hop did: who it was, when it saw the pass (epoch microseconds), and what it added. */
  public record Hop(int index, String nodeId, String address, long atEpochMicros, byte[] contribution)
      implements CborSerializable {}

  public record Member(int index, String nodeId, String address) implements CborSerializable {}

  public record RingView(List<Member> members) implements CborSerializable {}

  public record RingTrace(String passId, int attempts, List<Hop> hops, String accumulator, long latencyMicros)
      implements CborSerializable {}

  /** A node's place in a session's ring: its id, its verifier and its ML-DSA-65 public key. */
  public record RingSeat(String nodeId, ActorRef<Command> verifier, byte[] publicKey) implements CborSerializable {}

  /**
   * An identification session opens on this node: the prover's identity key (its {@code IdentityPublicKey}
   * encoding), the ring fixed for the session and this node's position in it.
   */
  public record JoinSession(String session, String consortium, String pseudonym, byte[] identityKey,
      List<RingSeat> ring, int position, int rounds, int maxAttempts, ActorRef<IdentityContract.Command> contract)
      implements Command {}

  /**
   * A session of the paper's protocol as written ({@code seed}): this node is hop {@code position} of the ring
   * and holds the verifiers' shared scalar secret {@code r}, as the paper has it. Refused unless this node's
   * operator enabled the seed protocol.
   */
  public record JoinSeedSession(String session, int dimension, int rounds, long secret, int position,
      List<RingSeat> ring, ActorRef<IdentityContract.Command> contract) implements Command {}

  /** One seed-protocol message for this node's hop (an OpenRound from the contract, an E2 pass from the last hop). */
  public record SeedHop(SeedStep step) implements Command {}

  /** The session ended on its contract before this seat gave its verdict: the seat is freed. */
  public record LeaveSession(String session) implements Command {}

  /** One protocol message of a session, in its canonical encoding. */
  public record SessionFrame(String session, byte[] frame) implements Command {}

  public record GetSessionCount(ActorRef<SessionCount> replyTo) implements Command {}

  /** Sessions this node sits in now. */
  public record SessionCount(String nodeId, int sessions) implements CborSerializable {}

  private record SessionExpired(String session) implements Command {}

  private record ListingChanged(Receptionist.Listing listing) implements Command {}

  private record PassTimedOut(String passId, int attempt) implements Command {}

  private record PendingPass(ActorRef<StatusReply<RingTrace>> replyTo, long startNanos, int attempt) {}

  /** A session this node sits in: its machine and where its messages go. */
  private static final class Seat {
    final JoinSession join;
    final IdentificationParameters parameters;
    VerifierSession machine;

    Seat(JoinSession join, IdentificationParameters parameters, VerifierSession machine) {
      this.join = join;
      this.parameters = parameters;
      this.machine = machine;
    }
  }

  /** A seed session this node sits in: its hop machine and where its messages go. */
  private static final class SeedSeat {
    final JoinSeedSession join;
    final SeedRingProtocol.Parameters parameters;
    SeedRingProtocol.VerifierHop machine;

    SeedSeat(JoinSeedSession join, SeedRingProtocol.Parameters parameters, SeedRingProtocol.VerifierHop machine) {
      this.join = join;
      this.parameters = parameters;
      this.machine = machine;
    }
  }

  /** Frames kept for a session this node has not joined yet (a ring pass may overtake the join). */
  private static final int EARLY_SESSIONS = 1024;
  private static final int EARLY_FRAMES = 8;
  /** Sessions ended here, remembered so that their late frames are dropped rather than kept. */
  private static final int ENDED_SESSIONS = 4096;

  private final String nodeId;
  private final MlDsa65.KeyPair nodeKey;
  private final IdentitySettings identity;
  private final Map<String, Seat> seats = new HashMap<>();
  private final Map<String, SeedSeat> seedSeats = new HashMap<>();
  private final LinkedHashMap<String, Deque<byte[]>> early = new LinkedHashMap<>();
  private final Set<String> ended = new LinkedHashSet<>();
  private final Duration passTimeout;
  private final int maxAttempts;
  private final TimerScheduler<Command> timers;
  private final Address selfAddress;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, PendingPass> pending = new HashMap<>();
  private List<ActorRef<Command>> ring = List.of();

  /** The actor name a node's verifier is spawned under, so that every ring member can name the others. */
  public static String actorName(String nodeId) {
    return "verifier-" + nodeId;
  }

  public static String nodeIdOf(ActorRef<?> verifier) {
    String name = verifier.path().name();
    return name.startsWith("verifier-") ? name.substring("verifier-".length()) : name;
  }

  public static Behavior<Command> create(String nodeId, MlDsa65.KeyPair nodeKey, IdentitySettings identity,
      Duration passTimeout, int maxAttempts) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new VerifierNode(context, timers, nodeId, nodeKey, identity, passTimeout, maxAttempts)));
  }

  private VerifierNode(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId,
      MlDsa65.KeyPair nodeKey, IdentitySettings identity, Duration passTimeout, int maxAttempts) {
    super(context);
    this.timers = timers;
    this.nodeId = nodeId;
    this.nodeKey = nodeKey;
    this.identity = identity;
    this.passTimeout = passTimeout;
    this.maxAttempts = maxAttempts;
    this.selfAddress = Cluster.get(context.getSystem()).selfMember().address();
    ActorRef<Receptionist.Listing> listingAdapter =
        context.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(SERVICE_KEY, listingAdapter));
    context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ListingChanged.class, this::onListingChanged)
        .onMessage(GetRing.class, this::onGetRing)
        .onMessage(RunRingPass.class, this::onRunRingPass)
        .onMessage(RingPass.class, this::onRingPass)
        .onMessage(RingPassCompleted.class, this::onRingPassCompleted)
        .onMessage(PassTimedOut.class, this::onPassTimedOut)
        .onMessage(JoinSession.class, this::onJoinSession)
        .onMessage(JoinSeedSession.class, this::onJoinSeedSession)
        .onMessage(SeedHop.class, this::onSeedHop)
        .onMessage(SessionFrame.class, this::onSessionFrame)
        .onMessage(SessionExpired.class, this::onSessionExpired)
        .onMessage(LeaveSession.class, leave -> {
          if (seats.containsKey(leave.session()) || seedSeats.containsKey(leave.session())) {
            end(leave.session());
          } else {
            forget(leave.session());
          }
          return this;
        })
        .onMessage(GetSessionCount.class, this::onGetSessionCount)
        .build();
  }

  private Behavior<Command> onListingChanged(ListingChanged changed) {
    List<ActorRef<Command>> newRing = RingOrder.of(changed.listing().getServiceInstances(SERVICE_KEY), selfAddress);
    if (!newRing.equals(ring)) {
      getContext().getLog().info("Ring re-formed with {} verifiers: {}", newRing.size(), describe(newRing));
      ring = newRing;
    }
    return this;
  }

  private Behavior<Command> onGetRing(GetRing request) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < ring.size(); i++) {
      ActorRef<Command> ref = ring.get(i);
      members.add(new Member(i, nodeIdOf(ref), RingOrder.addressOf(ref, selfAddress).toString()));
    }
    request.replyTo().tell(new RingView(members));
    return this;
  }

  private Behavior<Command> onRunRingPass(RunRingPass request) {
    String passId = UUID.randomUUID().toString();
    pending.put(passId, new PendingPass(request.replyTo(), System.nanoTime(), 0));
    return startAttempt(passId, 1);
  }

  private Behavior<Command> startAttempt(String passId, int attempt) {
    PendingPass pass = pending.get(passId);
    if (ring.isEmpty()) {
      pending.remove(passId);
      pass.replyTo().tell(StatusReply.error("the ring has no verifiers yet"));
      return this;
    }
    pending.put(passId, new PendingPass(pass.replyTo(), pass.startNanos(), attempt));
    timers.startSingleTimer(passId, new PassTimedOut(passId, attempt), passTimeout);
    ring.get(0).tell(new RingPass(passId, attempt, ring, RingAccumulator.initial(), List.of(), getContext().getSelf()));
    return this;
  }

  private Behavior<Command> onRingPass(RingPass pass) {
    int index = pass.hops().size();
    byte[] contribution = new byte[32];
    random.nextBytes(contribution);
    Hop hop = new Hop(index, nodeId, selfAddress.toString(), epochMicros(), contribution);
    List<Hop> hops = new ArrayList<>(pass.hops());
    hops.add(hop);
    byte[] accumulator = RingAccumulator.fold(pass.accumulator(), index, contribution);
    if (index + 1 < pass.ring().size()) {
      pass.ring().get(index + 1).tell(
          new RingPass(pass.passId(), pass.attempt(), pass.ring(), accumulator, hops, pass.origin()));
    } else {
      pass.origin().tell(new RingPassCompleted(pass.passId(), pass.attempt(), accumulator, hops));
    }
    return this;
  }

  private Behavior<Command> onRingPassCompleted(RingPassCompleted completed) {
    PendingPass pass = pending.get(completed.passId());
    if (pass == null || pass.attempt() != completed.attempt()) {
      return this; // a late answer from an attempt that was already given up
    }
    pending.remove(completed.passId());
    timers.cancel(completed.passId());
    long latencyMicros = (System.nanoTime() - pass.startNanos()) / 1_000;
    pass.replyTo().tell(StatusReply.success(new RingTrace(completed.passId(), completed.attempt(), completed.hops(),
        HexFormat.of().formatHex(completed.accumulator()), latencyMicros)));
    return this;
  }

  private Behavior<Command> onPassTimedOut(PassTimedOut timeout) {
    PendingPass pass = pending.get(timeout.passId());
    if (pass == null || pass.attempt() != timeout.attempt()) {
      return this;
    }
    if (timeout.attempt() >= maxAttempts) {
      pending.remove(timeout.passId());
      pass.replyTo().tell(StatusReply.error("the ring pass did not come back after " + maxAttempts
          + " attempts of " + passTimeout.toMillis() + " ms"));
      return this;
    }
    getContext().getLog().warn("Ring pass {} attempt {} stalled; restarting on the ring of {}",
        timeout.passId(), timeout.attempt(), ring.size());
    return startAttempt(timeout.passId(), timeout.attempt() + 1);
  }

  private Behavior<Command> onJoinSession(JoinSession join) {
    String session = join.session();
    if (seats.containsKey(session) || ended.contains(session)) {
      return this;
    }
    if (full(join.contract(), session)) {
      forget(session); // its frames, already sent by the other seats, are dropped rather than kept
      return this;
    }
    IdentificationParameters parameters = join.identityKey().length > 2
        ? IdentificationParameters.byId(join.identityKey()[2] & 0xff) : null;
    Decoded<IdentityPublicKey> key = parameters == null ? null : IdentityPublicKey.decode(parameters, join.identityKey());
    if (key == null || !key.ok() || join.position() < 0 || join.position() >= join.ring().size()) {
      join.contract().tell(new IdentityContract.SeatRefused(session, nodeId, IdentityContract.BAD_SESSION,
          "no identity key or ring position this node can use"));
      forget(session);
      return this;
    }
    VerifierSession machine = VerifierSession.create(key.orElseThrow(),
        new RingMembers(join.ring().stream().map(RingSeat::publicKey).toList()), join.position(), nodeKey,
        new RingChallengeIdentification.Settings(join.rounds(), join.maxAttempts()), session, RandomSource.secure());
    Seat seat = new Seat(join, parameters, machine);
    seats.put(session, seat);
    timers.startSingleTimer(sessionTimer(session), new SessionExpired(session), identity.sessionTimeout());
    join.contract().tell(new IdentityContract.SeatTaken(session, nodeId));
    Deque<byte[]> waiting = early.remove(session);
    if (waiting != null) {
      for (byte[] frame : waiting) {
        if (seats.containsKey(session)) {
          drive(seat, frame);
        }
      }
    }
    return this;
  }

  /** Whether every seat is taken; if so the contract is told (RING_BUSY) and the session forgotten here. */
  private boolean full(ActorRef<IdentityContract.Command> contract, String session) {
    int taken = seats.size() + seedSeats.size();
    if (taken < identity.maxSessions()) {
      return false;
    }
    contract.tell(new IdentityContract.SeatRefused(session, nodeId, IdentityContract.RING_BUSY,
        "verifier " + nodeId + " already sits in " + taken + " sessions"));
    return true;
  }

  private Behavior<Command> onJoinSeedSession(JoinSeedSession join) {
    String session = join.session();
    if (seedSeats.containsKey(session) || ended.contains(session)) {
      return this;
    }
    if (!identity.seedEnabled()) {
      join.contract().tell(new IdentityContract.SeatRefused(session, nodeId, IdentityContract.SEED_DISABLED,
          "the operator of " + nodeId + " has not enabled the seed protocol (latticare.identity.seed.enabled)"));
      forget(session);
      return this;
    }
    if (full(join.contract(), session)) {
      forget(session);
      return this;
    }
    SeedRingProtocol.Parameters parameters = new SeedRingProtocol.Parameters(
        Ring.DILITHIUM_PRIME, join.dimension(), join.ring().size(), join.rounds());
    seedSeats.put(session, new SeedSeat(join, parameters, SeedRingProtocol.VerifierHop.create(parameters, session,
        join.position(), join.secret(), RandomSource.secure())));
    timers.startSingleTimer(sessionTimer(session), new SessionExpired(session), identity.sessionTimeout());
    return this;
  }

  private Behavior<Command> onSeedHop(SeedHop hop) {
    SeedSeat seat = seedSeats.get(hop.step().session());
    if (seat == null) {
      return this;
    }
    SeedRingProtocol.Message message;
    try {
      message = hop.step().toMessage(seat.parameters);
    } catch (IllegalArgumentException e) {
      getContext().getLog().debug("Seed session {}: {}", hop.step().session(), e.getMessage());
      return this;
    }
    Outcome<SeedRingProtocol.VerifierHop, SeedRingProtocol.Message> outcome = seat.machine.onMessage(message);
    if (outcome.refused()) {
      return this;
    }
    seat.machine = outcome.state();
    for (SeedRingProtocol.Message out : outcome.messages()) {
      if (out instanceof SeedRingProtocol.E2Pass pass) {
        seat.join.ring().get(pass.hop()).verifier().tell(new SeedHop(SeedStep.of(pass)));
      } else {
        seat.join.contract().tell(new IdentityContract.SeedFromRing(SeedStep.of(out)));
      }
    }
    return this;
  }

  private Behavior<Command> onSessionFrame(SessionFrame frame) {
    Seat seat = seats.get(frame.session());
    if (seat != null) {
      drive(seat, frame.frame());
    } else if (!ended.contains(frame.session())) {
      Deque<byte[]> waiting = early.computeIfAbsent(frame.session(), s -> new ArrayDeque<>());
      if (waiting.size() < EARLY_FRAMES) {
        waiting.add(frame.frame());
      }
      if (early.size() > EARLY_SESSIONS) {
        early.remove(early.keySet().iterator().next());
      }
    }
    return this;
  }

  private void drive(Seat seat, byte[] frame) {
    Decoded<Message> decoded = MessageCodec.decode(seat.parameters, frame);
    if (!decoded.ok()) {
      getContext().getLog().debug("Session {}: undecodable frame: {}", seat.join.session(), decoded);
      return;
    }
    handle(seat, decoded.orElseThrow());
  }

  private void handle(Seat seat, Message message) {
    Outcome<VerifierSession, Message> outcome = seat.machine.onMessage(message);
    if (outcome instanceof Outcome.Refused<VerifierSession, Message> refused) {
      getContext().getLog().debug("Session {}: {} refused: {} {}", seat.join.session(),
          message.getClass().getSimpleName(), refused.reason(), refused.detail());
      return;
    }
    seat.machine = outcome.state();
    List<RingSeat> ring = seat.join.ring();
    for (Message out : outcome.messages()) {
      if (out instanceof RingChallengeIdentification.RingPass pass) {
        ring.get(pass.recipient(ring.size())).verifier()
            .tell(new SessionFrame(seat.join.session(), MessageCodec.encode(seat.parameters, pass)));
      } else if (out instanceof ChallengeIssued challenge) {
        byte[] bytes = MessageCodec.encode(seat.parameters, challenge);
        for (int i = 0; i < ring.size(); i++) {
          if (i != seat.join.position()) {
            ring.get(i).verifier().tell(new SessionFrame(seat.join.session(), bytes));
          }
        }
        seat.join.contract().tell(new IdentityContract.ChallengeReady(seat.join.session(), bytes));
        handle(seat, challenge);
      } else if (out instanceof Verdict verdict) {
        byte[] ledgerSignature = verdict.accepted()
            ? nodeKey.sign(TxBody.IdentityVerified.verdictMessage(seat.join.consortium(), seat.join.pseudonym(),
                seat.join.session(), new Sha3Hash(verdict.transcript())))
            : new byte[0];
        seat.join.contract().tell(new IdentityContract.VerdictGiven(seat.join.session(), nodeId,
            MessageCodec.encode(seat.parameters, verdict), ledgerSignature));
        end(seat.join.session());
      }
    }
  }

  private void end(String session) {
    seats.remove(session);
    seedSeats.remove(session);
    timers.cancel(sessionTimer(session));
    forget(session);
  }

  /** A session this node will not sit in (any more): what arrives for it is dropped. */
  private void forget(String session) {
    early.remove(session);
    ended.add(session);
    if (ended.size() > ENDED_SESSIONS) {
      ended.remove(ended.iterator().next());
    }
  }

  private static String sessionTimer(String session) {
    return "session:" + session;
  }

  private Behavior<Command> onSessionExpired(SessionExpired expired) {
    if (seats.containsKey(expired.session()) || seedSeats.containsKey(expired.session())) {
      getContext().getLog().info("Session {} expired on {} without a verdict", expired.session(), nodeId);
      end(expired.session());
    }
    return this;
  }

  private Behavior<Command> onGetSessionCount(GetSessionCount request) {
    request.replyTo().tell(new SessionCount(nodeId, seats.size() + seedSeats.size()));
    return this;
  }

  private static long epochMicros() {
    Instant now = Instant.now();
    return ChronoUnit.MICROS.between(Instant.EPOCH, now);
  }

  private String describe(List<ActorRef<Command>> members) {
    return members.stream().map(ref -> RingOrder.addressOf(ref, selfAddress).toString()).toList().toString();
  }
}
