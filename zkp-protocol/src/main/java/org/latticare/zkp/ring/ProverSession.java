package org.latticare.zkp.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Hop;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Problem;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

/**
 * The prover (the patient's wallet) in one session. {@link #start} gives the first {@link Commitment}
 * (E1); each {@link ChallengeIssued} from the last ring position is answered with a {@link Response}
 * (E3), bound to the {@code E2_n} and commitments it answered — followed by the next round's {@link Commitment} while rounds remain — or, when rejection
 * sampling withholds {@code z}, with a fresh {@link Commitment} for the same round and the next attempt.
 * Every outgoing message goes to every verifier. Verdicts are for the tally; the prover ignores them.
 */
public final class ProverSession {

    public enum Phase {
        AWAITING_CHALLENGE,
        DONE
    }

    private record Config(IdentityKeyPair keys, RingMembers members, Settings settings, String session,
            RandomSource random) {
    }

    private final Config config;
    private final Phase phase;
    private final int round;
    private final int attempt;
    private final OneUse mask;
    private final byte[] commitmentDigest;
    private final int restarts;

    /**
     * A commitment's mask {@code y}, usable once. States are immutable values a caller may keep, copy or replay,
     * so the mask cannot live in them as a value: every state built on one commitment shares this holder, and
     * the first answer takes the mask out of it, whatever state object it goes through.
     */
    private static final class OneUse {
        private Mask mask;

        OneUse(Mask mask) {
            this.mask = mask;
        }

        synchronized Mask take() {
            Mask taken = mask;
            mask = null;
            return taken;
        }
    }

    private ProverSession(Config config, Phase phase, int round, int attempt, OneUse mask, byte[] commitmentDigest,
            int restarts) {
        this.config = config;
        this.phase = phase;
        this.round = round;
        this.attempt = attempt;
        this.mask = mask;
        this.commitmentDigest = commitmentDigest;
        this.restarts = restarts;
    }

    /** The session's first state and its first commitment (round 0, attempt 0), to send to every verifier. */
    public static Outcome<ProverSession, Message> start(IdentityKeyPair keys, RingMembers members, Settings settings,
            String session, RandomSource random) {
        if (!org.latticare.zkp.wire.Frame.validSession(session)) {
            throw new IllegalArgumentException("session id must be 1 to 128 UTF-8 bytes");
        }
        Config config = new Config(keys, members, settings, session, random);
        List<Message> out = new ArrayList<>();
        ProverSession first = commit(config, 0, 0, 0, out);
        return Outcome.advance(first, out);
    }

    private static ProverSession commit(Config config, int round, int attempt, int restarts, List<Message> out) {
        Mask mask = LyubashevskyIdentification.commit(config.keys().publicKey(), config.random());
        byte[] digest = RingChallengeIdentification.commitmentDigest(config.keys().publicKey().parameters(),
                config.session(), round, attempt, mask.u());
        out.add(new Commitment(config.session(), round, attempt, mask.u()));
        return new ProverSession(config, Phase.AWAITING_CHALLENGE, round, attempt, new OneUse(mask), digest, restarts);
    }

    public Phase phase() {
        return phase;
    }

    /** Rounds restarted by rejection sampling so far. */
    public int restarts() {
        return restarts;
    }

    public Outcome<ProverSession, Message> onMessage(Message message) {
        if (message == null) {
            return Outcome.refuse(this, Refusal.MALFORMED, "null message");
        }
        if (!config.session().equals(message.session())) {
            return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + message.session());
        }
        if (message instanceof Verdict) {
            return Outcome.advance(this, List.of());
        }
        if (!(message instanceof ChallengeIssued m)) {
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, message.getClass().getSimpleName() + " is not for the prover");
        }
        if (phase == Phase.DONE) {
            return Outcome.refuse(this, Refusal.FINISHED, "all rounds answered");
        }
        if (m.round() != round || m.attempt() != attempt) {
            boolean older = m.round() < round || (m.round() == round && m.attempt() < attempt);
            return Outcome.refuse(this, older ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                    "challenge for round " + m.round() + " attempt " + m.attempt());
        }
        if (!Arrays.equals(m.commitmentDigest(), commitmentDigest)) {
            return Outcome.refuse(this, Refusal.INCONSISTENT, "challenge is for another commitment");
        }
        int n = config.members().size();
        Problem problem = RingChallengeIdentification.checkHops(config.members(), config.session(), round, attempt,
                commitmentDigest, m.hops(), n, List.of());
        if (problem == null) {
            problem = RingChallengeIdentification.checkReveals(config.session(), round, attempt, commitmentDigest,
                    m.hops(), m.reveals(), n, m.accumulator());
        }
        if (problem != null) {
            return Outcome.refuse(this, problem.reason(), problem.detail());
        }
        Mask y = mask.take();
        if (y == null) {
            return Outcome.refuse(this, Refusal.MASK_SPENT, "round " + round + " attempt " + attempt
                    + ": this commitment's mask has answered a challenge already");
        }
        byte[] seed = RingChallengeIdentification.challengeSeed(config.keys().publicKey(), config.session(), round,
                attempt, y.u(), m.accumulator());
        PolyVector c = LyubashevskyIdentification.challenge(config.keys().publicKey().parameters(), seed);
        Optional<PolyVector> z = LyubashevskyIdentification.respond(config.keys().secretKey(), y, c);
        List<Message> out = new ArrayList<>();
        if (z.isEmpty()) {
            return Outcome.advance(commit(config, round, attempt + 1, restarts + 1, out), out);
        }
        // bound to the ring output answered, so that a member who showed the verifiers another one is caught
        out.add(new Response(config.session(), round, attempt, m.accumulator(),
                m.hops().stream().map(Hop::commitment).toList(), z.get()));
        if (round + 1 == config.settings().rounds()) {
            return Outcome.advance(new ProverSession(config, Phase.DONE, round, attempt, null, null, restarts), out);
        }
        return Outcome.advance(commit(config, round + 1, 0, restarts, out), out);
    }
}
