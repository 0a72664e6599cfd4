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
import org.latticare.zkp.ring.RingChallengeIdentification.Reveal;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Check;

/**
 * One verifier's view of one identification session, including its own two ring hops (E2: commit, then
 * open) and its check (E4, the paper's (9) replaced). Immutable: {@link #onMessage} returns the next state
 * and the messages to send. Inputs and outputs:
 * <ul>
 *   <li>{@link Commitment} (from the prover) → this position draws its contribution and salt; position 0
 *       emits the first {@link RingPass} of lap one (alone in the ring, {@link ChallengeIssued}); others
 *       emit nothing;</li>
 *   <li>{@link RingPass} of lap one addressed to this position → its signed commitment appended; the last
 *       position turns the pass into lap two, addressed to position 0;</li>
 *   <li>{@link RingPass} of lap two addressed to this position → all n commitments and the earlier openings
 *       checked, its own opening appended and folded; from the last position the {@link ChallengeIssued}
 *       for the prover and all verifiers;</li>
 *   <li>{@link ChallengeIssued} → nothing (the verifier now knows c); if it carries a commitment other than
 *       the one this verifier saw in lap two, signed by its position, the session ends with a rejecting
 *       {@link Reason#EQUIVOCATION} verdict naming that position;</li>
 *   <li>{@link Response} → nothing while rounds remain, else its signed {@link Verdict}; a response to
 *       another {@code E2_n} than the ring's ends the session with {@link Reason#EQUIVOCATION} (naming the
 *       position whose commitment the prover was shown differently), a failed check with a rejecting
 *       {@link Verdict}.</li>
 * </ul>
 * A lap-one {@link RingPass} that arrives before the {@link Commitment} it follows (the prover and the
 * previous position do not send in step) is kept and taken when that commitment arrives; so is a
 * {@link Response} that arrives before its {@link ChallengeIssued}. Anything else is
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

    /**
     * This position's part of one attempt's E2: its contribution and salt (drawn once u is fixed), its
     * signed hop once sent, the hops it has verified (all n after lap two) and whether it has opened.
     */
    private record Ring(byte[] contribution, byte[] salt, Hop hop, List<Hop> checked, boolean revealed) {
        Ring withHop(Hop signed, List<Hop> verified) {
            return new Ring(contribution, salt, signed, verified, false);
        }

        Ring opened(List<Hop> verified) {
            return new Ring(contribution, salt, hop, verified, true);
        }
    }

    private final Config config;
    private final Phase phase;
    private final int round;
    private final int attempt;
    private final PolyVector u;
    private final byte[] commitmentDigest;
    private final Ring ring;
    private final PolyVector c;
    private final byte[] e2;
    private final byte[] transcript;
    private final int restarts;
    private final Verdict verdict;
    /** A pass that arrived before the commitment it follows (the prover and the previous position do not
     *  send in step), kept to be taken once that commitment arrives. */
    private final RingPass early;
    /** A response that arrived before the challenge it answers (it travels through the contract and the
     *  prover, the challenge straight from the last seat), kept to be checked once that challenge arrives. */
    private final Response earlyResponse;

    private VerifierSession(Config config, Phase phase, int round, int attempt, PolyVector u, byte[] commitmentDigest,
            Ring ring, PolyVector c, byte[] e2, byte[] transcript, int restarts, Verdict verdict, RingPass early,
            Response earlyResponse) {
        this.config = config;
        this.phase = phase;
        this.round = round;
        this.attempt = attempt;
        this.u = u;
        this.commitmentDigest = commitmentDigest;
        this.ring = ring;
        this.c = c;
        this.e2 = e2;
        this.transcript = transcript;
        this.restarts = restarts;
        this.verdict = verdict;
        this.early = early;
        this.earlyResponse = earlyResponse;
    }

    /**
     * @param key        the prover's enrolled identity {@code (A-seed, T)}
     * @param members    the ring in order, with every verifier's ML-DSA-65 key
     * @param index      this verifier's position in the ring
     * @param signingKey this verifier's ML-DSA-65 key pair
     * @param random     source of this verifier's fresh contributions and salts
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
                Phase.AWAITING_COMMITMENT, 0, 0, null, null, null, null, null, new byte[32], 0, null, null, null);
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

    private VerifierSession with(Phase nextPhase, Ring nextRing, PolyVector nextC, byte[] nextE2) {
        return new VerifierSession(config, nextPhase, round, attempt, u, commitmentDigest, nextRing, nextC, nextE2,
                transcript, restarts, verdict, early, earlyResponse);
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
            return finish(false, Reason.TOO_MANY_ATTEMPTS, round, RingChallengeIdentification.NO_SUSPECT, transcript,
                    restartsNow);
        }
        byte[] digest = RingChallengeIdentification.commitmentDigest(p, config.session(), m.round(), m.attempt(), m.u());
        // drawn now, after u is fixed, and committed to before anyone's contribution is seen
        byte[] contribution = new byte[RingAccumulator.CONTRIBUTION_BYTES];
        byte[] salt = new byte[RingChallengeIdentification.SALT_BYTES];
        config.random().nextBytes(contribution);
        config.random().nextBytes(salt);
        VerifierSession next = new VerifierSession(config, Phase.AWAITING_CHALLENGE, m.round(), m.attempt(), m.u(),
                digest, new Ring(contribution, salt, null, List.of(), false), null, null, transcript, restartsNow, null,
                null, null);
        if (config.index() == 0) {
            return next.commitHop(List.of());
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
        int n = config.members().size();
        boolean lapOne = m.hops().size() < n;
        boolean beforeItsCommitment = phase == Phase.AWAITING_COMMITMENT
                ? m.round() == round && m.attempt() >= attempt || m.round() > round
                : isAhead(m, round, attempt);
        if (beforeItsCommitment && lapOne && m.hops().size() == config.index() && config.index() != 0) {
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
        if (m.recipient(n) != config.index()) {
            return Outcome.refuse(this, Refusal.WRONG_HOP, "pass for position " + m.recipient(n) + " reached " + config.index());
        }
        if (!Arrays.equals(m.commitmentDigest(), commitmentDigest)) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "pass is for another commitment");
        }
        return lapOne ? onCommitLap(m) : onRevealLap(m);
    }

    private Outcome<VerifierSession, Message> onCommitLap(RingPass m) {
        if (ring.hop() != null) {
            return Outcome.refuse(this, Refusal.REPLAYED, "this position already committed in attempt " + attempt);
        }
        if (!m.reveals().isEmpty()) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "an opening before every position committed");
        }
        Problem problem = RingChallengeIdentification.checkHops(config.members(), config.session(), round, attempt,
                commitmentDigest, m.hops(), config.index(), List.of());
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        return commitHop(m.hops());
    }

    /** Lap one: this position's signed commitment, appended to the earlier ones. */
    private Outcome<VerifierSession, Message> commitHop(List<Hop> earlier) {
        int i = config.index();
        byte[] commitment = RingChallengeIdentification.contributionCommitment(config.session(), round, attempt,
                commitmentDigest, i, ring.contribution(), ring.salt());
        Hop own = new Hop(i, commitment, config.signingKey().sign(
                RingChallengeIdentification.hopPayload(config.session(), round, attempt, commitmentDigest, i, commitment)));
        List<Hop> hops = new ArrayList<>(earlier);
        hops.add(own);
        VerifierSession next = with(phase, ring.withHop(own, hops), null, null);
        if (hops.size() < config.members().size()) {
            return Outcome.advance(next, new RingPass(config.session(), round, attempt, commitmentDigest,
                    RingAccumulator.initial(), hops, List.of()));
        }
        if (i == 0) {
            // alone in the ring: open at once
            return next.revealHop(RingAccumulator.initial(), hops, List.of());
        }
        // every position has committed: lap two starts at position 0
        return Outcome.advance(next, new RingPass(config.session(), round, attempt, commitmentDigest,
                RingAccumulator.initial(), hops, List.of()));
    }

    private Outcome<VerifierSession, Message> onRevealLap(RingPass m) {
        if (ring.hop() == null) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "an opening before this position committed");
        }
        if (ring.revealed()) {
            return Outcome.refuse(this, Refusal.REPLAYED, "this position already opened in attempt " + attempt);
        }
        Problem problem = checkRing(m.hops(), m.reveals(), config.index(), m.accumulator());
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        if (!RingChallengeIdentification.sameHop(m.hops().get(config.index()), ring.hop())) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "this position's commitment was replaced");
        }
        return revealHop(m.accumulator(), m.hops(), m.reveals());
    }

    /** The signed commitments (verifying only those this position has not verified yet), then the openings. */
    private Problem checkRing(List<Hop> hops, List<Reveal> reveals, int openings, byte[] accumulator) {
        List<Hop> checked = new ArrayList<>(ring.checked());
        Problem problem = RingChallengeIdentification.checkHops(config.members(), config.session(), round, attempt,
                commitmentDigest, hops, config.members().size(), checked);
        if (problem != null) {
            return problem;
        }
        return RingChallengeIdentification.checkReveals(config.session(), round, attempt, commitmentDigest, hops,
                reveals, openings, accumulator);
    }

    /** Lap two: this position opens its commitment and folds its contribution into E2. */
    private Outcome<VerifierSession, Message> revealHop(byte[] accumulator, List<Hop> hops, List<Reveal> earlier) {
        int i = config.index();
        List<Reveal> reveals = new ArrayList<>(earlier);
        reveals.add(new Reveal(i, ring.contribution(), ring.salt()));
        byte[] folded = RingAccumulator.fold(accumulator, i, ring.contribution());
        VerifierSession next = with(phase, ring.opened(hops), null, null);
        Message out = i + 1 < config.members().size()
                ? new RingPass(config.session(), round, attempt, commitmentDigest, folded, hops, reveals)
                : new ChallengeIssued(config.session(), round, attempt, commitmentDigest, folded, hops, reveals);
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
        if (!ring.revealed()) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "challenge before this position opened");
        }
        int n = config.members().size();
        if (m.hops().size() == n) {
            for (int k = 0; k < n; k++) {
                Hop seen = ring.checked().get(k);
                Hop shown = m.hops().get(k);
                if (shown.index() == k && !Arrays.equals(seen.commitment(), shown.commitment())
                        && config.members().signedBy(k, RingChallengeIdentification.hopPayload(config.session(), round,
                                attempt, commitmentDigest, k, shown.commitment()), shown.signature())) {
                    // position k signed two commitments for this attempt: proof in hand
                    return finish(false, Reason.EQUIVOCATION, round, k, transcript, restarts);
                }
            }
        }
        Problem problem = checkRing(m.hops(), m.reveals(), n, m.accumulator());
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        byte[] seed = RingChallengeIdentification.challengeSeed(config.key(), config.session(), round, attempt, u,
                m.accumulator());
        PolyVector challenge = LyubashevskyIdentification.challenge(config.key().parameters(), seed);
        VerifierSession next = with(Phase.AWAITING_RESPONSE, ring, challenge, m.accumulator());
        if (earlyResponse != null && earlyResponse.round() == round && earlyResponse.attempt() == attempt) {
            Outcome<VerifierSession, Message> taken = next.withoutEarlyResponse().onResponse(earlyResponse);
            return taken instanceof Outcome.Advanced ? taken : Outcome.advance(next.withoutEarlyResponse(), List.of());
        }
        return Outcome.advance(next, List.of());
    }

    private Outcome<VerifierSession, Message> onResponse(Response m) {
        Outcome<VerifierSession, Message> stale = sequence(m.round(), m.attempt(), round, attempt);
        if (stale != null) {
            return stale;
        }
        if (phase == Phase.AWAITING_CHALLENGE) {
            // checked when its challenge arrives; one is kept, the latest
            return Outcome.advance(new VerifierSession(config, phase, round, attempt, u, commitmentDigest, ring, c, e2,
                    transcript, restarts, verdict, early, m), List.of());
        }
        if (phase != Phase.AWAITING_RESPONSE) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, "response while " + phase);
        }
        IdentificationParameters p = config.key().parameters();
        if (!LyubashevskyIdentification.shaped(p, m.z(), p.witnessLength())) {
            return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "z must have " + p.witnessLength() + " entries over " + p.ring());
        }
        byte[] chained = RingChallengeIdentification.transcriptStep(transcript, commitmentDigest, e2, m.z(), p);
        if (!Arrays.equals(m.accumulator(), e2)) {
            // the prover answered another challenge than the ring's: a member showed it other contributions
            return finish(false, Reason.EQUIVOCATION, round, differingPosition(m.commitments()), chained, restarts);
        }
        Check check = LyubashevskyIdentification.check(config.key(), u, c, m.z());
        if (check == Check.NORM_BOUND) {
            return finish(false, Reason.NORM_BOUND, round, RingChallengeIdentification.NO_SUSPECT, chained, restarts);
        }
        if (check != Check.ACCEPTED) {
            return finish(false, Reason.EQUATION, round, RingChallengeIdentification.NO_SUSPECT, chained, restarts);
        }
        if (round + 1 == config.settings().rounds()) {
            return finish(true, Reason.IDENTIFIED, round + 1, RingChallengeIdentification.NO_SUSPECT, chained, restarts);
        }
        return Outcome.advance(new VerifierSession(config, Phase.AWAITING_COMMITMENT, round + 1, 0, null, null, null,
                null, null, chained, restarts, null, early, null), List.of());
    }

    /** The first position whose commitment the prover reports differently from what this verifier saw. */
    private int differingPosition(List<byte[]> shownToProver) {
        List<Hop> seen = ring.checked();
        for (int k = 0; k < seen.size() && k < shownToProver.size(); k++) {
            if (!Arrays.equals(seen.get(k).commitment(), shownToProver.get(k))) {
                return k;
            }
        }
        return RingChallengeIdentification.NO_SUSPECT;
    }

    private Outcome<VerifierSession, Message> finish(boolean accepted, Reason reason, int rounds, int suspect,
            byte[] chained, int restartsNow) {
        int i = config.index();
        byte[] payload = RingChallengeIdentification.verdictPayload(config.key(), config.session(), i, accepted, reason,
                rounds, suspect, chained);
        Verdict v = new Verdict(config.session(), i, accepted, reason, rounds, suspect, chained,
                config.signingKey().sign(payload));
        return Outcome.advance(new VerifierSession(config, Phase.FINISHED, round, attempt, u, commitmentDigest, ring, c,
                e2, chained, restartsNow, v, null, null), v);
    }

    private VerifierSession withoutEarlyResponse() {
        return new VerifierSession(config, phase, round, attempt, u, commitmentDigest, ring, c, e2, transcript,
                restarts, verdict, early, null);
    }

    /** This state, keeping {@code pass} for the commitment it follows. */
    private VerifierSession keeping(RingPass pass) {
        return new VerifierSession(config, phase, round, attempt, u, commitmentDigest, ring, c, e2, transcript,
                restarts, verdict, pass, earlyResponse);
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
