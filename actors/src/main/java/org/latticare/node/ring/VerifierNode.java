package org.latticare.node.ring;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import org.latticare.zkp.ring.RingAccumulator;

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

  private record ListingChanged(Receptionist.Listing listing) implements Command {}

  private record PassTimedOut(String passId, int attempt) implements Command {}

  private record PendingPass(ActorRef<StatusReply<RingTrace>> replyTo, long startNanos, int attempt) {}

  private final String nodeId;
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

  static String nodeIdOf(ActorRef<?> verifier) {
    String name = verifier.path().name();
    return name.startsWith("verifier-") ? name.substring("verifier-".length()) : name;
  }

  public static Behavior<Command> create(String nodeId, Duration passTimeout, int maxAttempts) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new VerifierNode(context, timers, nodeId, passTimeout, maxAttempts)));
  }

  private VerifierNode(ActorContext<Command> context, TimerScheduler<Command> timers, String nodeId,
      Duration passTimeout, int maxAttempts) {
    super(context);
    this.timers = timers;
    this.nodeId = nodeId;
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

  private static long epochMicros() {
    Instant now = Instant.now();
    return ChronoUnit.MICROS.between(Instant.EPOCH, now);
  }

  private String describe(List<ActorRef<Command>> members) {
    return members.stream().map(ref -> RingOrder.addressOf(ref, selfAddress).toString()).toList().toString();
  }
}
