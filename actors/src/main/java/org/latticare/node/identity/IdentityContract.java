package org.latticare.node.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.pattern.StatusReply;
import org.latticare.cluster.CborSerializable;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.NodeSettings;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.ring.RingOrder;
import org.latticare.node.ring.VerifierNode;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.QuorumRule;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.ring.VerdictTally;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.wire.Decoded;

/**
 * The identity contract of one identification session (Cluster Sharding, keyed by session id): the
 * paper's contract of Section 4, driving the sound ring protocol ({@link RingChallengeIdentification}).
 *
 * <p>{@link Open} reads the patient's identity key from the chain (its {@code PatientEnrolled}), fixes the
 * session's ring — the consortium's verifiers reachable now, in {@link RingOrder} — and seats every verifier
 * ({@link VerifierNode.JoinSession}); the prover learns the ring from {@link Opened} once every seat said it took
 * its seat ({@link SeatTaken}), so a full verifier's refusal ({@code RING_BUSY}) comes instead of it. The prover's messages
 * ({@link FromProver}: commitments and responses) go to every seat; the challenge the last seat issues
 * ({@link ChallengeReady}) goes to the prover. The seats' signed verdicts are tallied ({@link VerdictTally})
 * under a quorum of a majority of the consortium's verifiers, which is also what every replica demands of an
 * {@code IdentityVerified}; once it is reached the contract submits that transaction, signed by this node's
 * operator identity and carrying the accepting verifiers' ledger signatures, and tells the prover how it
 * ended ({@link Finished}) once it is committed. A pass that is not back within {@code identity.pass-timeout}
 * while a seat has left the cluster (a node lost) re-forms the ring from the verifiers registered now and
 * tells the prover to start again on it (a new {@link Opened}, under the protocol session {@code session/1});
 * a ring that is only slow is waited for. The contract holds no secret and never sees the prover's.
 * Its state lives only as long as the session: it writes nothing but that transaction.
 */
public final class IdentityContract extends AbstractBehavior<IdentityContract.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "IdentityContract");

  /** Codes a session can end with besides {@code IDENTIFIED}; stable, clients see them. */
  public static final String NOT_IDENTIFIED = "NOT_IDENTIFIED";
  public static final String NOT_ENROLLED = "NOT_ENROLLED";
  public static final String NO_PROOF_KEY = "NO_PROOF_KEY";
  public static final String NO_QUORUM = "NO_QUORUM";
  public static final String RING_BUSY = "RING_BUSY";
  public static final String BAD_SESSION = "BAD_SESSION";
  public static final String TIMED_OUT = "TIMED_OUT";
  public static final String NOT_COMMITTED = "NOT_COMMITTED";
  /** Not the prover's failure: a ring member showed it another challenge (named in {@code suspects}). */
  public static final String EQUIVOCATION = "EQUIVOCATION";
  public static final String IDENTIFIED = "IDENTIFIED";
  /** The seed protocol accepted: it proves nothing (anyone passes it), and nothing is written to the chain. */
  public static final String SEED_PASSED = "SEED_PASSED";
  public static final String SEED_DISABLED = "SEED_DISABLED";
  public static final String UNKNOWN_PROTOCOL = "UNKNOWN_PROTOCOL";

  /** The sound protocol, the default. */
  public static final String RING_CHALLENGE = "ring-challenge";
  /** The paper's protocol exactly as written: broken, off unless an operator enables it. */
  public static final String SEED = "seed";

  public interface Command extends CborSerializable {}

  /** What the prover's side (its gateway, or a test) hears of the session. */
  public interface ProverEvent extends CborSerializable {
    String session();
  }

  /** Open the session for {@code pseudonym} under {@code protocol}; every event goes to {@code prover}. */
  public record Open(String pseudonym, ActorRef<ProverEvent> prover, String protocol) implements Command {
    /** The sound protocol. */
    public Open(String pseudonym, ActorRef<ProverEvent> prover) {
      this(pseudonym, prover, RING_CHALLENGE);
    }
  }

  /** A seed-protocol message from a hop of the ring (a contribution, the last E2). */
  public record SeedFromRing(SeedStep step) implements Command {}

  /** A seed-protocol message from the prover (E1, E3). */
  public record SeedFromProver(SeedStep step) implements Command {}

  /** A seed-protocol message for the prover (V_m, the last E2, a round's verdict). */
  public record SeedToProver(String session, SeedStep step) implements ProverEvent {}

  /** A commitment or response of the prover, in its canonical encoding. */
  public record FromProver(byte[] frame) implements Command {}

  /** The last seat issued the challenge of a round. */
  public record ChallengeReady(String session, byte[] frame) implements Command {}

  /** A seat's signed verdict, and its ledger signature over the transcript when it accepts. */
  public record VerdictGiven(String session, String nodeId, byte[] frame, byte[] ledgerSignature) implements Command {}

  /** A verifier took its seat in {@code session}. */
  public record SeatTaken(String session, String nodeId) implements Command {}

  /** A verifier could not take its seat. */
  public record SeatRefused(String session, String nodeId, String code, String detail) implements Command {}

  /** One seat of the ring as the prover needs it: the node and its ML-DSA-65 public key. */
  public record Seat(String nodeId, byte[] publicKey) implements CborSerializable {}

  /**
   * The session's ring; {@code session} is the protocol session the prover runs (its frames carry it). A
   * second {@code Opened} during the proof means the ring lost a verifier and was re-formed: the prover starts
   * again on the new ring, under the new protocol session. {@code host} is the node running the contract, and
   * {@code contract} the contract itself, to which the prover's frames go directly (not through sharding).
   */
  public record Opened(String session, String pseudonym, int parameterSet, List<Seat> ring, int rounds,
      int maxAttempts, String host, ActorRef<Command> contract) implements ProverEvent {}

  public record Challenge(String session, byte[] frame) implements ProverEvent {}

  /**
   * How the session ended: {@code code} is {@link #IDENTIFIED} (then {@code transactionHash} and {@code height}
   * locate the committed {@code IdentityVerified}) or why not; {@code suspects} are the ring members a verifier
   * named for showing the prover another challenge than the ring's (equivocation).
   */
  public record Finished(String session, boolean identified, String code, String detail, String transactionHash,
      long height, List<String> accepting, List<String> rejecting, List<String> suspects) implements ProverEvent {
    public Finished {
      accepting = List.copyOf(accepting);
      rejecting = List.copyOf(rejecting);
      suspects = List.copyOf(suspects);
    }
  }

  private record KeyRead(EnrolledProofKeys.Enrolment enrolment, Throwable failure) implements Command {}

  private record RingListed(Receptionist.Listing listing) implements Command {}

  /** A pass was not back in time: is the ring still whole? */
  private enum PassOverdue implements Command { INSTANCE }

  private record RingChecked(Receptionist.Listing listing) implements Command {}

  private record Submitted(SubmitResult result) implements Command {}

  private enum Timeout implements Command { INSTANCE }

  /** Times the ring of one session is re-formed after losing a verifier before the session gives up. */
  static final int MAX_REFORMS = 2;

  /** What a contract on this node needs of it. */
  public record NodeContext(String nodeId, MlDsa65.KeyPair nodeKey, TxBody.ConsortiumFounded consortium,
      ActorRef<ChainReplica.Command> replica, ActorRef<Mempool.Command> mempool, EnrolledProofKeys keys,
      IdentitySettings settings, Duration askTimeout) {}

  private static final SecureRandom NONCES = new SecureRandom();

  private final String session;
  private final NodeContext node;
  private final TimerScheduler<Command> timers;
  private final Address selfAddress;
  private String pseudonym;
  private ActorRef<ProverEvent> prover;
  private IdentificationParameters parameters;
  private IdentityPublicKey publicKey;
  private byte[] identityKey;
  private List<VerifierNode.RingSeat> ring = List.of();
  /** Rings this session has had before the current one; the protocol session is {@code session/epoch} after a loss. */
  private int epoch;
  private String protocolSession;
  private VerdictTally tally;
  private final Map<Integer, byte[]> ledgerSignatures = new HashMap<>();
  private final List<String> suspects = new ArrayList<>();
  /** Seats of the current ring that have not yet said they took their seat: the prover hears of the ring after. */
  private final Set<String> unseated = new HashSet<>();
  private boolean done;
  /** How far the session got, for a time-out's explanation. */
  private int proverFrames;
  private int challenges;
  private int verdicts;

  public static Behavior<Command> create(String session, NodeContext node) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new IdentityContract(context, timers, session, node)));
  }

  private IdentityContract(ActorContext<Command> context, TimerScheduler<Command> timers, String session,
      NodeContext node) {
    super(context);
    this.session = session;
    this.node = node;
    this.timers = timers;
    this.selfAddress = Cluster.get(context.getSystem()).selfMember().address();
    this.protocolSession = session;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Open.class, this::onOpen)
        .onMessage(KeyRead.class, this::onKeyRead)
        .onMessage(RingListed.class, this::onRingListed)
        .onMessage(FromProver.class, this::onFromProver)
        .onMessage(ChallengeReady.class, this::onChallengeReady)
        .onMessage(VerdictGiven.class, this::onVerdictGiven)
        .onMessage(SeatRefused.class, this::onSeatRefused)
        .onMessage(SeatTaken.class, this::onSeatTaken)
        .onMessage(PassOverdue.class, this::onPassOverdue)
        .onMessage(RingChecked.class, this::onRingChecked)
        .onMessage(Submitted.class, this::onSubmitted)
        .onMessage(Timeout.class, t -> finish(false, TIMED_OUT, "no decision within "
            + node.settings().sessionTimeout().toSeconds() + " s (" + progress() + ")", null, -1))
        .build();
  }

  private Behavior<Command> onOpen(Open open) {
    if (prover != null) {
      open.prover().tell(ended(BAD_SESSION, "session " + session + " is already open"));
      return this;
    }
    pseudonym = open.pseudonym();
    prover = open.prover();
    if (SEED.equals(open.protocol())) {
      if (!node.settings().seedEnabled()) {
        return finish(false, SEED_DISABLED, "the operator of " + node.nodeId() + " has not enabled the seed protocol,"
            + " which anyone passes (latticare.identity.seed.enabled)", null, -1);
      }
      return SeedContract.start(getContext(), timers, session, pseudonym, prover, node);
    }
    if (!RING_CHALLENGE.equals(open.protocol())) {
      return finish(false, UNKNOWN_PROTOCOL, "protocols: " + RING_CHALLENGE + ", " + SEED, null, -1);
    }
    timers.startSingleTimer(Timeout.INSTANCE, node.settings().sessionTimeout());
    getContext().pipeToSelf(node.keys().of(pseudonym), KeyRead::new);
    return this;
  }

  private Behavior<Command> onKeyRead(KeyRead read) {
    if (done) {
      return this;
    }
    if (read.enrolment() == null) {
      return finish(false, NOT_ENROLLED, "the enrolment of '" + pseudonym + "' could not be read: " + read.failure(),
          null, -1);
    }
    if (!read.enrolment().found()) {
      return finish(false, read.enrolment().code(), read.enrolment().detail(), null, -1);
    }
    publicKey = read.enrolment().key();
    identityKey = publicKey.encode();
    parameters = publicKey.parameters();
    getContext().getSystem().receptionist().tell(Receptionist.find(VerifierNode.SERVICE_KEY,
        getContext().messageAdapter(Receptionist.Listing.class, RingListed::new)));
    return this;
  }

  /** The key of a {@code PatientEnrolled}, when it is an identity key of a parameter set the protocol knows. */
  static Optional<byte[]> enrolmentKey(byte[] transaction) {
    try {
      if (!(Transaction.decode(transaction).body() instanceof TxBody.PatientEnrolled enrolled)) {
        return Optional.empty();
      }
      byte[] key = enrolled.identityPublicKey();
      if (key.length < 3) {
        return Optional.empty();
      }
      IdentificationParameters p = IdentificationParameters.byId(key[2] & 0xff);
      return p != null && IdentityPublicKey.decode(p, key).ok() ? Optional.of(key) : Optional.empty();
    } catch (IllegalArgumentException e) { // MalformedEncodingException among them
      return Optional.empty();
    }
  }

  private Behavior<Command> onRingListed(RingListed listed) {
    return done ? this : seat(listed.listing());
  }

  private List<VerifierNode.RingSeat> seatsIn(Receptionist.Listing listing) {
    return seatsIn(listing, node.consortium(), selfAddress);
  }

  /** The consortium's verifiers in {@code listing}, in ring order, with their registered keys. */
  static List<VerifierNode.RingSeat> seatsIn(Receptionist.Listing listing, TxBody.ConsortiumFounded consortium,
      Address selfAddress) {
    Map<String, byte[]> verifierKeys = verifierKeys(consortium);
    List<VerifierNode.RingSeat> seats = new ArrayList<>();
    for (ActorRef<VerifierNode.Command> verifier
        : RingOrder.of(listing.getServiceInstances(VerifierNode.SERVICE_KEY), selfAddress)) {
      String nodeId = VerifierNode.nodeIdOf(verifier);
      if (verifierKeys.containsKey(nodeId)) {
        seats.add(new VerifierNode.RingSeat(nodeId, verifier, verifierKeys.get(nodeId)));
      }
    }
    return seats;
  }

  static Map<String, byte[]> verifierKeys(TxBody.ConsortiumFounded consortium) {
    Map<String, byte[]> verifierKeys = new HashMap<>();
    for (TxBody.Member member : consortium.members()) {
      if (member.roles().contains(NodeSettings.ROLE_VERIFIER)) {
        verifierKeys.put(member.nodeId(), member.publicKey());
      }
    }
    return verifierKeys;
  }

  /** Fixes the ring from {@code listing}, seats every verifier in it and tells the prover. */
  private Behavior<Command> seat(Receptionist.Listing listing) {
    List<VerifierNode.RingSeat> seats = seatsIn(listing);
    int verifiers = verifierKeys(node.consortium()).size();
    int quorum = verifiers / 2 + 1;
    if (seats.size() < quorum) {
      return finish(false, NO_QUORUM, seats.size() + " of the consortium's " + verifiers
          + " verifiers are reachable; a proof needs " + quorum, null, -1);
    }
    ring = List.copyOf(seats);
    RingMembers members = new RingMembers(ring.stream().map(VerifierNode.RingSeat::publicKey).toList());
    tally = VerdictTally.create(publicKey, members,
        QuorumRule.atLeast(quorum, ring.size()), protocolSession);
    ledgerSignatures.clear();
    unseated.clear();
    ring.forEach(seat -> unseated.add(seat.nodeId()));
    // a seat that never answers (its node lost meanwhile) is found by the pass check
    timers.startSingleTimer(PassOverdue.INSTANCE, node.settings().passTimeout());
    for (int i = 0; i < ring.size(); i++) {
      ring.get(i).verifier().tell(new VerifierNode.JoinSession(protocolSession, node.consortium().consortium(),
          pseudonym, identityKey, ring, i, node.settings().rounds(), node.settings().maxAttempts(),
          getContext().getSelf()));
    }
    return this;
  }

  /** Once every seat is taken, and only then, the prover hears of the ring (a full verifier refuses first). */
  private Behavior<Command> onSeatTaken(SeatTaken taken) {
    if (done || !protocolSession.equals(taken.session()) || !unseated.remove(taken.nodeId()) || !unseated.isEmpty()) {
      return this;
    }
    timers.cancel(PassOverdue.INSTANCE);
    prover.tell(new Opened(protocolSession, pseudonym, parameters.id(),
        ring.stream().map(s -> new Seat(s.nodeId(), s.publicKey())).toList(), node.settings().rounds(),
        node.settings().maxAttempts(), node.nodeId(), getContext().getSelf()));
    return this;
  }

  /**
   * A pass overdue: if every seat is still registered, the ring is only slow (a loaded verifier) and the
   * contract waits on; if one is gone, the ring is re-formed from the verifiers registered now.
   */
  private Behavior<Command> onPassOverdue(PassOverdue overdue) {
    if (!done) {
      getContext().getSystem().receptionist().tell(Receptionist.find(VerifierNode.SERVICE_KEY,
          getContext().messageAdapter(Receptionist.Listing.class, RingChecked::new)));
    }
    return this;
  }

  private Behavior<Command> onRingChecked(RingChecked checked) {
    if (done) {
      return this;
    }
    List<String> present = seatsIn(checked.listing()).stream().map(VerifierNode.RingSeat::nodeId).toList();
    List<String> lost = ring.stream().map(VerifierNode.RingSeat::nodeId).filter(id -> !present.contains(id)).toList();
    if (lost.isEmpty()) {
      timers.startSingleTimer(PassOverdue.INSTANCE, node.settings().passTimeout());
      return this;
    }
    if (epoch >= MAX_REFORMS) {
      return finish(false, NO_QUORUM, "the ring lost " + lost + " after " + epoch + " re-formed rings", null, -1);
    }
    getContext().getLog().info("Session {}: the ring lost {}; re-forming it", session, lost);
    for (VerifierNode.RingSeat seat : ring) {
      seat.verifier().tell(new VerifierNode.LeaveSession(protocolSession));
    }
    epoch++;
    protocolSession = session + "/" + epoch;
    return seat(checked.listing());
  }

  private Behavior<Command> onFromProver(FromProver message) {
    if (done || tally == null) {
      return this;
    }
    Decoded<Message> decoded = MessageCodec.decode(parameters, message.frame());
    if (!decoded.ok() || !protocolSession.equals(decoded.orElseThrow().session())
        || !(decoded.orElseThrow() instanceof RingChallengeIdentification.Commitment
            || decoded.orElseThrow() instanceof RingChallengeIdentification.Response)) {
      getContext().getLog().debug("Session {}: not a prover message of this session: {}", session, decoded);
      return this;
    }
    proverFrames++;
    for (VerifierNode.RingSeat seat : ring) {
      seat.verifier().tell(new VerifierNode.SessionFrame(protocolSession, message.frame()));
    }
    if (decoded.orElseThrow() instanceof RingChallengeIdentification.Commitment
        && !timers.isTimerActive(PassOverdue.INSTANCE)) {
      timers.startSingleTimer(PassOverdue.INSTANCE, node.settings().passTimeout());
    }
    return this;
  }

  private Behavior<Command> onChallengeReady(ChallengeReady ready) {
    if (!done && protocolSession.equals(ready.session())) {
      timers.cancel(PassOverdue.INSTANCE);
      challenges++;
      prover.tell(new Challenge(protocolSession, ready.frame()));
    }
    return this;
  }

  private Behavior<Command> onVerdictGiven(VerdictGiven given) {
    if (done || tally == null || !protocolSession.equals(given.session())) {
      return this;
    }
    Decoded<Message> decoded = MessageCodec.decode(parameters, given.frame());
    if (!decoded.ok() || !(decoded.orElseThrow() instanceof Verdict verdict)) {
      return this;
    }
    if (verdict.verifier() < 0 || verdict.verifier() >= ring.size()
        || !ring.get(verdict.verifier()).nodeId().equals(given.nodeId())) {
      getContext().getLog().warn("Session {}: verdict of position {} sent by {}", session, verdict.verifier(),
          given.nodeId());
      return this;
    }
    Outcome<VerdictTally, VerdictTally.Decision> outcome = tally.onVerdict(verdict);
    if (outcome instanceof Outcome.Refused<VerdictTally, VerdictTally.Decision> refused) {
      getContext().getLog().warn("Session {}: verdict of {} refused: {} {}", session, given.nodeId(),
          refused.reason(), refused.detail());
      return this;
    }
    tally = outcome.state();
    verdicts++;
    if (verdict.accepted()) {
      ledgerSignatures.put(verdict.verifier(), given.ledgerSignature());
    }
    if (verdict.reason() == RingChallengeIdentification.Reason.EQUIVOCATION
        && verdict.suspect() != RingChallengeIdentification.NO_SUSPECT) {
      String suspect = ring.get(verdict.suspect()).nodeId();
      getContext().getLog().warn("Session {}: {} reports that {} showed the prover another challenge", session,
          given.nodeId(), suspect);
      if (!suspects.contains(suspect)) {
        suspects.add(suspect);
      }
    }
    for (VerdictTally.Decision decision : outcome.messages()) {
      return decide(decision, verdict);
    }
    return this;
  }

  private Behavior<Command> decide(VerdictTally.Decision decision, Verdict last) {
    if (!decision.identified()) {
      return suspects.isEmpty()
          ? finish(false, NOT_IDENTIFIED, "rejected by " + names(decision.rejecting()) + " (last: " + last.reason()
              + ")", null, -1)
          : finish(false, EQUIVOCATION, suspects + " showed the prover another challenge than the ring's; "
              + names(decision.rejecting()) + " refused the answer to it", null, -1);
    }
    List<TxBody.Verdict> verdicts = decision.accepting().stream()
        .map(i -> new TxBody.Verdict(ring.get(i).nodeId(), ledgerSignatures.get(i))).toList();
    Transaction tx = Transaction.sign(node.nodeKey(), node.nodeId(), NONCES.nextLong() & Long.MAX_VALUE,
        System.currentTimeMillis(), new TxBody.IdentityVerified(pseudonym, protocolSession,
            new Sha3Hash(last.transcript()), verdicts));
    getContext().ask(SubmitResult.class, node.mempool(), node.askTimeout().multipliedBy(2),
        replyTo -> new Mempool.Submit(tx.encode(), replyTo),
        (result, failure) -> new Submitted(result != null ? result
            : SubmitResult.unknown(tx.hash().hex(), "no answer from the mempool: " + failure)));
    return this;
  }

  private Behavior<Command> onSubmitted(Submitted submitted) {
    SubmitResult result = submitted.result();
    if (result.outcome() == SubmitResult.Outcome.COMMITTED) {
      return finish(true, IDENTIFIED, "identified by " + names(tally.decision().accepting()),
          result.transactionHash(), result.height());
    }
    return finish(false, NOT_COMMITTED, result.code() + ": " + result.reason(), result.transactionHash(), -1);
  }

  private Behavior<Command> onSeatRefused(SeatRefused refused) {
    if (done || !protocolSession.equals(refused.session())) {
      return this;
    }
    return finish(false, refused.code(), refused.nodeId() + ": " + refused.detail(), null, -1);
  }

  private String progress() {
    return "ring " + ring.stream().map(VerifierNode.RingSeat::nodeId).toList() + " (re-formed " + epoch
        + " times), " + proverFrames + " prover message(s), " + challenges + " challenge(s), " + verdicts
        + " verdict(s)";
  }

  private Finished ended(String code, String detail) {
    return new Finished(session, false, code, detail, null, -1, List.of(), List.of(), List.of());
  }

  private Behavior<Command> finish(boolean identified, String code, String detail, String transactionHash,
      long height) {
    if (done) {
      return this;
    }
    done = true;
    timers.cancel(Timeout.INSTANCE);
    timers.cancel(PassOverdue.INSTANCE);
    for (VerifierNode.RingSeat seat : ring) {
      seat.verifier().tell(new VerifierNode.LeaveSession(protocolSession));
    }
    VerdictTally.Decision decision = tally == null ? null : tally.decision();
    prover.tell(new Finished(session, identified, code, detail, transactionHash, height,
        decision == null ? List.of() : names(decision.accepting()),
        decision == null ? List.of() : names(decision.rejecting()), suspects));
    return Behaviors.stopped();
  }

  private List<String> names(List<Integer> positions) {
    return positions.stream().map(i -> ring.get(i).nodeId()).toList();
  }
}
