package org.latticare.zkp.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Hop;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Problem;
import org.latticare.zkp.ring.RingChallengeIdentification.Reason;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Check;

/**
 * One verifier's view of one identification session, including its own ring hop (E2) and its check
 * (E4, the paper's (9) replaced). Immutable: {@link #onMessage} returns the next state and the
 * messages to send. Inputs and outputs:
 * <ul>
 *   <li>{@link Commitment} (from the prover) → position 0 emits the first {@link RingPass} (or, alone
 *       in the ring, {@link ChallengeIssued}); others emit nothing;</li>
 *   <li>{@link RingPass} addressed to this position → the next {@link RingPass}, or from the last
 *       position the {@link ChallengeIssued} for the prover and all verifiers;</li>
 *   <li>{@link ChallengeIssued} → nothing (the verifier now knows c);</li>
 *   <li>{@link Response} → nothing while rounds remain, else its signed {@link Verdict}; a failed
 *       check ends the session at once with a rejecting {@link Verdict}.</li>
 * </ul>
 * A {@link RingPass} that arrives before the {@link Commitment} it follows (the prover and the previous
 * position do not send in step) is kept and taken when that commitment arrives. Anything else is
 * refused with a specific {@link Refusal} and leaves the state unchanged.
 */
public final class VerifierSession {

    /** Where the session stands. */
    public enum Phase {
        AWAITING_COMMITMENT,
        AWAITING_CHALLENGE,
        AWAITING_RESPONSE,
        FINISHED
    }

    private record Config(IdentityPublicKey key, RingMembers members, int index, MlDsa65.KeyPair signingKey,
            Settings settings, String session, RandomSource random) {
    }

    private final Config config;
    private final Phase phase;
    private final int round;
    private final int attempt;
    private final PolyVector u;
    private final byte[] commitmentDigest;
    private final byte[] ownContribution;
    private final PolyVector c;
    private final byte[] e2;
    private final byte[] transcript;
    private final int restarts;
    private final Verdict verdict;
    /** A pass that arrived before the commitment it follows (the prover and the previous position do not
     *  send in step), kept to be taken once that commitment arrives. */
    private final RingPass early;

    private VerifierSession(Config config, Phase phase, int round, int attempt, PolyVector u, byte[] commitmentDigest,
            byte[] ownContribution, PolyVector c, byte[] e2, byte[] transcript, int restarts, Verdict verdict,
            RingPass early) {
        this.config = config;
        this.phase = phase;
        this.round = round;
        this.attempt = attempt;
        this.u = u;
        this.commitmentDigest = commitmentDigest;
        this.ownContribution = ownContribution;
        this.c = c;
        this.e2 = e2;
        this.transcript = transcript;
        this.restarts = restarts;
        this.verdict = verdict;
        this.early = early;
    }

    /**
     * @param key        the prover's enrolled identity {@code (A-seed, T)}
     * @param members    the ring in order, with every verifier's ML-DSA-65 key
     * @param index      this verifier's position in the ring
     * @param signingKey this verifier's ML-DSA-65 private key
     * @param random     source of this verifier's fresh contributions
     */
    public static VerifierSession create(IdentityPublicKey key, RingMembers members, int index,
            MlDsa65.KeyPair signingKey, Settings settings, String session, RandomSource random) {
        if (index < 0 || index >= members.size()) {
            throw new IllegalArgumentException("index " + index + " outside a ring of " + members.size());
        }
        if (!org.latticare.zkp.wire.Frame.validSession(session)) {
            throw new IllegalArgumentException("session id must be 1 to 128 UTF-8 bytes");
        }
        return new VerifierSession(new Config(key, members, index, signingKey, settings, session, random),
                Phase.AWAITING_COMMITMENT, 0, 0, null, null, null, null, null, new byte[32], 0, null, null);
    }

    public Phase phase() {
        return phase;
    }

    public int round() {
        return round;
    }

    /** Restarts (rejected attempts) this verifier has seen over the whole session. */
    public int restarts() {
        return restarts;
    }

    /** The verdict, once {@link Phase#FINISHED}. */
    public Verdict verdict() {
        return verdict;
    }

    public Outcome<VerifierSession, Message> onMessage(Message message) {
        if (message == null) {
            return Outcome.refuse(this, Refusal.MALFORMED, "null message");
        }
        if (!config.session().equals(message.session())) {
            return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + message.session());
        }
        if (phase == Phase.FINISHED) {
            return Outcome.refuse(this, Refusal.FINISHED, "verdict already given");
        }
        if (message instanceof Commitment m) {
            return onCommitment(m);
        }
        if (message instanceof RingPass m) {
            return onRingPass(m);
        }
        if (message instanceof ChallengeIssued m) {
            return onChallenge(m);
        }
        if (message instanceof Response m) {
            return onResponse(m);
        }
        return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "verdicts go to the tally");
    }

    private Outcome<VerifierSession, Message> onCommitment(Commitment m) {
        boolean restart = phase != Phase.AWAITING_COMMITMENT;
        int expectedAttempt = restart ? attempt + 1 : 0;
        Outcome<VerifierSession, Message> stale = sequence(m.round(), m.attempt(), round, expectedAttempt);
        if (stale != null) {
            return stale;
        }
        IdentificationParameters p = config.key().parameters();
        if (!LyubashevskyIdentification.shaped(p, m.u(), p.rows())) {
            return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "u must have " + p.rows() + " entries over " + p.ring());
        }
        int restartsNow = restarts + (restart ? 1 : 0);
        if (m.attempt() >= config.settings().maxAttempts()) {
            return finish(false, Reason.TOO_MANY_ATTEMPTS, round, transcript, restartsNow);
        }
        byte[] digest = RingChallengeIdentification.commitmentDigest(p, config.session(), m.round(), m.attempt(), m.u());
        VerifierSession next = new VerifierSession(config, Phase.AWAITING_CHALLENGE, m.round(), m.attempt(), m.u(),
                digest, null, null, null, transcript, restartsNow, null, null);
        if (config.index() == 0) {
            return next.hop(RingAccumulator.initial(), List.of());
        }
        if (early != null && early.round() == m.round() && early.attempt() == m.attempt()) {
            Outcome<VerifierSession, Message> taken = next.onRingPass(early);
            // a stashed pass that does not fit the commitment is dropped, as it would have been refused
            return taken instanceof Outcome.Advanced ? taken : Outcome.advance(next, List.of());
        }
        return Outcome.advance(early != null && isAhead(early, m.round(), m.attempt()) ? next.keeping(early) : next,
                List.of());
    }

    private Outcome<VerifierSession, Message> onRingPass(RingPass m) {
        boolean beforeItsCommitment = phase == Phase.AWAITING_COMMITMENT
                ? m.round() == round && m.attempt() >= attempt || m.round() > round
                : isAhead(m, round, attempt);
        if (beforeItsCommitment && m.hops().size() == config.index() && config.index() != 0) {
            // checked when its commitment arrives; one is kept, the latest
            return Outcome.advance(keeping(m), List.of());
        }
        Outcome<VerifierSession, Message> stale = sequence(m.round(), m.attempt(), round, attempt);
        if (stale != null) {
            return stale;
        }
        if (phase != Phase.AWAITING_CHALLENGE) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "ring pass while " + phase);
        }
        if (m.hops().size() != config.index()) {
            return Outcome.refuse(this, Refusal.WRONG_HOP, "pass for position " + m.hops().size() + " reached " + config.index());
        }
        if (ownContribution != null) {
            return Outcome.refuse(this, Refusal.REPLAYED, "this position already contributed to attempt " + attempt);
        }
        if (!Arrays.equals(m.commitmentDigest(), commitmentDigest)) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "pass is for another commitment");
        }
        Problem problem = RingChallengeIdentification.checkHops(config.members(), config.session(), round, attempt,
                commitmentDigest, m.accumulator(), m.hops(), config.index());
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        return hop(m.accumulator(), m.hops());
    }

    /** This position's E2 hop: a fresh contribution drawn now, after u is fixed, folded and signed. */
    private Outcome<VerifierSession, Message> hop(byte[] accumulator, List<Hop> earlier) {
        byte[] contribution = new byte[RingAccumulator.CONTRIBUTION_BYTES];
        config.random().nextBytes(contribution);
        int i = config.index();
        byte[] signature = config.signingKey().sign(
                RingChallengeIdentification.hopPayload(config.session(), round, attempt, commitmentDigest, i, contribution));
        List<Hop> hops = new ArrayList<>(earlier);
        hops.add(new Hop(i, contribution, signature));
        byte[] folded = RingAccumulator.fold(accumulator, i, contribution);
        VerifierSession next = new VerifierSession(config, phase, round, attempt, u, commitmentDigest, contribution, null,
                null, transcript, restarts, null, early);
        Message out = i + 1 < config.members().size()
                ? new RingPass(config.session(), round, attempt, commitmentDigest, folded, hops)
                : new ChallengeIssued(config.session(), round, attempt, commitmentDigest, folded, hops);
        return Outcome.advance(next, out);
    }

    private Outcome<VerifierSession, Message> onChallenge(ChallengeIssued m) {
        Outcome<VerifierSession, Message> stale = sequence(m.round(), m.attempt(), round, attempt);
        if (stale != null) {
            return stale;
        }
        if (phase != Phase.AWAITING_CHALLENGE) {
            return Outcome.refuse(this, phase == Phase.AWAITING_RESPONSE ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                    "challenge while " + phase);
        }
        if (!Arrays.equals(m.commitmentDigest(), commitmentDigest)) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "challenge is for another commitment");
        }
        if (ownContribution == null) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "challenge before this position's hop");
        }
        Problem problem = RingChallengeIdentification.checkHops(config.members(), config.session(), round, attempt,
                commitmentDigest, m.accumulator(), m.hops(), config.members().size());
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        if (!Arrays.equals(m.hops().get(config.index()).contribution(), ownContribution)) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "this position's contribution was replaced");
        }
        byte[] seed = RingChallengeIdentification.challengeSeed(config.key(), config.session(), round, attempt, u,
                m.accumulator());
        PolyVector challenge = LyubashevskyIdentification.challenge(config.key().parameters(), seed);
        return Outcome.advance(new VerifierSession(config, Phase.AWAITING_RESPONSE, round, attempt, u, commitmentDigest,
                ownContribution, challenge, m.accumulator(), transcript, restarts, null, early), List.of());
    }

    private Outcome<VerifierSession, Message> onResponse(Response m) {
        Outcome<VerifierSession, Message> stale = sequence(m.round(), m.attempt(), round, attempt);
        if (stale != null) {
            return stale;
        }
        if (phase != Phase.AWAITING_RESPONSE) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "response while " + phase);
        }
        IdentificationParameters p = config.key().parameters();
        if (!LyubashevskyIdentification.shaped(p, m.z(), p.witnessLength())) {
            return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "z must have " + p.witnessLength() + " entries over " + p.ring());
        }
        Check check = LyubashevskyIdentification.check(config.key(), u, c, m.z());
        byte[] chained = RingChallengeIdentification.transcriptStep(transcript, commitmentDigest, e2, m.z(), p);
        if (check == Check.NORM_BOUND) {
            return finish(false, Reason.NORM_BOUND, round, chained, restarts);
        }
        if (check != Check.ACCEPTED) {
            return finish(false, Reason.EQUATION, round, chained, restarts);
        }
        if (round + 1 == config.settings().rounds()) {
            return finish(true, Reason.IDENTIFIED, round + 1, chained, restarts);
        }
        return Outcome.advance(new VerifierSession(config, Phase.AWAITING_COMMITMENT, round + 1, 0, null, null, null,
                null, null, chained, restarts, null, early), List.of());
    }

    private Outcome<VerifierSession, Message> finish(boolean accepted, Reason reason, int rounds, byte[] chained,
            int restartsNow) {
        int i = config.index();
        byte[] payload = RingChallengeIdentification.verdictPayload(config.key(), config.session(), i, accepted, reason,
                rounds, chained);
        Verdict v = new Verdict(config.session(), i, accepted, reason, rounds, chained,
                config.signingKey().sign(payload));
        return Outcome.advance(new VerifierSession(config, Phase.FINISHED, round, attempt, u, commitmentDigest,
                ownContribution, c, e2, chained, restartsNow, v, null), v);
    }

    /** This state, keeping {@code pass} for the commitment it follows. */
    private VerifierSession keeping(RingPass pass) {
        return new VerifierSession(config, phase, round, attempt, u, commitmentDigest, ownContribution, c, e2, transcript,
                restarts, verdict, pass);
    }

    /** Whether {@code pass} is for a later (round, attempt) than the one given. */
    private static boolean isAhead(RingPass pass, int round, int attempt) {
        return pass.round() > round || (pass.round() == round && pass.attempt() > attempt);
    }

    /** Refusal for a message of (round, attempt) when (expectedRound, expectedAttempt) is due; null if due. */
    private Outcome<VerifierSession, Message> sequence(int r, int a, int expectedRound, int expectedAttempt) {
        if (r == expectedRound && a == expectedAttempt) {
            return null;
        }
        boolean older = r < expectedRound || (r == expectedRound && a < expectedAttempt);
        return Outcome.refuse(this, older ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                "round " + r + " attempt " + a + " while round " + expectedRound + " attempt " + expectedAttempt + " is due");
    }
}
