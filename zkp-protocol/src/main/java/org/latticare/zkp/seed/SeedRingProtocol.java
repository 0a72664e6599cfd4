package org.latticare.zkp.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.latticare.lattice.ring.Modulus;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;

/**
 * The seed paper's ring identification protocol (its Section 4), <b>exactly as written</b>, with the
 * verifiers' secret {@code R} the scalar {@code r} (the only reading in which {@code E3 = E4} can hold)
 * and {@code w, V_i ∈ Z_q^m}. Labelled <em>seed</em>: it is broken, and the tests show how.
 *
 * <ol>
 *   <li>(3) every verifier node i contributes {@code V_i}; the contract publishes {@code V_m = Σ V_i};</li>
 *   <li>(4) the prover sends {@code E1 = w^T V_m + q e^T (mod q)};</li>
 *   <li>(5)–(7) node 1 computes {@code E2(V_1) = R^T V_1 + q e^T}, node i adds {@code R^T V_i + q e^T}
 *       and passes it on; node n holds {@code E2(V_n) = R^T V_m + n q e} and sends it to the prover;</li>
 *   <li>(8) the prover sends {@code E3 = w^T E2(V_n) mod q};</li>
 *   <li>(9) the verifier computes {@code E4 = R^T E1 mod q} and accepts the round iff {@code E3 = E4};</li>
 *   <li>repeat for T rounds.</li>
 * </ol>
 * The {@code q e} terms are computed as written and vanish modulo q. Consequently {@code E3 = r⟨w, V_m⟩
 * = E4} for every {@code w} (impersonation succeeds with probability 1, see {@link SeedForger}), and
 * {@code E1} is one linear equation in {@code w} per round ({@link WitnessRecovery} solves for {@code w}
 * after m rounds).
 *
 * <p>Three machines, each a pure state machine returning an {@link Outcome}: {@link Prover},
 * {@link VerifierHop} (one per ring node: contributes {@code V_i}, performs its E2 hop) and
 * {@link VerifierCheck} (the contract and the check: sums (3), starts the ring, computes (9)).
 * Message routing: {@link OpenRound} → every hop; {@link Contribution} → check; {@link RoundOpened} →
 * prover; {@link E1} → check; {@link E2Pass} → the hop it names; {@link E2Result} → prover;
 * {@link E3} → check; {@link RoundVerdict} → prover.
 */
public final class SeedRingProtocol {

    private SeedRingProtocol() {
    }

    /** Dimension m of {@code w, V_i}, modulus q, ring size n and round count T. */
    public record Parameters(long q, int m, int verifiers, int rounds) {
        public Parameters {
            if (m < 1 || verifiers < 1 || rounds < 1) {
                throw new IllegalArgumentException("m, verifiers and rounds must be positive");
            }
            Modulus.of(q);
        }

        public Ring ring() {
            return Ring.of(1, q);
        }

        /** The paper's parameters for the tests: q = 8380417, m = 16, 4 verifiers, T = 20 rounds. */
        public static Parameters standard() {
            return new Parameters(Ring.DILITHIUM_PRIME, 16, 4, 20);
        }
    }

    /** Bound of the noise {@code e} that the paper multiplies by q. */
    static final long NOISE_BOUND = 8;

    // ---- messages ----

    public sealed interface Message permits OpenRound, Contribution, RoundOpened, E1, E2Pass, E2Result, E3, RoundVerdict {
        String session();

        int round();
    }

    /** Check → every hop: draw this round's {@code V_i}. */
    public record OpenRound(String session, int round) implements Message {
    }

    /** Hop i → check: its vector {@code V_i} for the contract sum (3). */
    public record Contribution(String session, int round, int node, PolyVector v) implements Message {
    }

    /** Check (contract) → prover: {@code V_m = Σ V_i} (3). */
    public record RoundOpened(String session, int round, PolyVector vm) implements Message {
    }

    /** Prover → check: {@code E1 = w^T V_m + q e^T mod q} (4). */
    public record E1(String session, int round, long e1) implements Message {
    }

    /** Hop i−1 → hop i ({@code hop} is the receiver): the accumulated {@code E2(V_{i-1})} (5), (6). */
    public record E2Pass(String session, int round, int hop, PolyVector accumulated) implements Message {
    }

    /** Node n → prover: {@code E2(V_n) = R^T V_m + n q e} (7). */
    public record E2Result(String session, int round, PolyVector e2) implements Message {
    }

    /** Prover → check: {@code E3 = w^T E2(V_n) mod q} (8). */
    public record E3(String session, int round, long e3) implements Message {
    }

    /** Check → prover: the round's result, {@code E3 = E4} with {@code E4 = R^T E1} (9). */
    public record RoundVerdict(String session, int round, boolean accepted, boolean last, boolean identified)
            implements Message {
    }

    /** One round as the verifier sees it: the public {@code V_m} and the prover's {@code E1}. */
    public record TranscriptEntry(PolyVector vm, long e1) {
    }

    // ---- prover ----

    /** The prover P holding {@code w}. */
    public static final class Prover {
        private final Parameters parameters;
        private final String session;
        private final PolyVector w;
        private final int round;
        private final boolean awaitingE2;
        private final RandomSource random;

        private Prover(Parameters parameters, String session, PolyVector w, int round, boolean awaitingE2,
                RandomSource random) {
            this.parameters = parameters;
            this.session = session;
            this.w = w;
            this.round = round;
            this.awaitingE2 = awaitingE2;
            this.random = random;
        }

        public static Prover create(Parameters parameters, String session, PolyVector w, RandomSource random) {
            if (w.length() != parameters.m() || !w.ring().equals(parameters.ring())) {
                throw new IllegalArgumentException("w must be in Z_q^" + parameters.m());
            }
            return new Prover(parameters, Objects.requireNonNull(session), w, 0, false, random);
        }

        public int round() {
            return round;
        }

        public Outcome<Prover, Message> onMessage(Message message) {
            if (!session.equals(message.session())) {
                return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + message.session());
            }
            if (message instanceof RoundVerdict verdict && verdict.round() == round - 1 && !awaitingE2) {
                return Outcome.advance(this, List.of()); // the verdict on the round just answered
            }
            if (round >= parameters.rounds()) {
                return Outcome.refuse(this, Refusal.FINISHED, "all " + parameters.rounds() + " rounds done");
            }
            if (message.round() != round) {
                return Outcome.refuse(this, message.round() < round ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                        "round " + message.round() + " while in round " + round);
            }
            if (message instanceof RoundOpened opened && !awaitingE2) {
                if (!fits(parameters, opened.vm())) {
                    return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "V_m must be in Z_q^" + parameters.m());
                }
                long e1 = withVanishingNoise(parameters, w.dot(opened.vm()).coefficient(0), random);
                return Outcome.advance(new Prover(parameters, session, w, round, true, random),
                        new E1(session, round, e1));
            }
            if (message instanceof E2Result result && awaitingE2) {
                if (!fits(parameters, result.e2())) {
                    return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "E2 must be in Z_q^" + parameters.m());
                }
                long e3 = w.dot(result.e2()).coefficient(0);
                return Outcome.advance(new Prover(parameters, session, w, round + 1, false, random),
                        new E3(session, round, e3));
            }
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, message.getClass().getSimpleName()
                    + (awaitingE2 ? " while awaiting E2" : " while awaiting V_m"));
        }
    }

    // ---- ring hop ----

    /** Ring node {@code index} (0-based; the paper's node {@code index + 1}) holding the shared secret r. */
    public static final class VerifierHop {
        private final Parameters parameters;
        private final String session;
        private final int index;
        private final long r;
        private final int round;
        private final PolyVector v; // this round's V_i, null before OpenRound
        private final boolean passed;
        private final RandomSource random;

        private VerifierHop(Parameters parameters, String session, int index, long r, int round, PolyVector v,
                boolean passed, RandomSource random) {
            this.parameters = parameters;
            this.session = session;
            this.index = index;
            this.r = r;
            this.round = round;
            this.v = v;
            this.passed = passed;
            this.random = random;
        }

        public static VerifierHop create(Parameters parameters, String session, int index, long r, RandomSource random) {
            Objects.checkIndex(index, parameters.verifiers());
            return new VerifierHop(parameters, session, index, r, -1, null, false, random);
        }

        public int index() {
            return index;
        }

        public Outcome<VerifierHop, Message> onMessage(Message message) {
            if (!session.equals(message.session())) {
                return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + message.session());
            }
            if (message instanceof OpenRound open) {
                if (open.round() != round + 1) {
                    return Outcome.refuse(this, open.round() <= round ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                            "open round " + open.round() + " after round " + round);
                }
                PolyVector fresh = UniformSampler.vector(parameters.ring(), parameters.m(), random);
                return Outcome.advance(new VerifierHop(parameters, session, index, r, open.round(), fresh, false, random),
                        new Contribution(session, open.round(), index, fresh));
            }
            if (message instanceof E2Pass pass) {
                if (pass.round() != round || v == null) {
                    return Outcome.refuse(this, pass.round() < round ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                            "E2 pass for round " + pass.round() + " in round " + round);
                }
                if (passed) {
                    return Outcome.refuse(this, Refusal.REPLAYED, "hop already done for round " + round);
                }
                if (pass.hop() != index) {
                    return Outcome.refuse(this, Refusal.WRONG_HOP, "pass for hop " + pass.hop() + " reached hop " + index);
                }
                if (!fits(parameters, pass.accumulated())) {
                    return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "E2 must be in Z_q^" + parameters.m());
                }
                // (5) for node 1, (6) for node i: E2(V_i) = E2(V_{i-1}) + R^T V_i + q e^T
                PolyVector accumulated = pass.accumulated().add(withVanishingNoise(parameters, v.multiply(r), random));
                VerifierHop next = new VerifierHop(parameters, session, index, r, round, v, true, random);
                Message out = index + 1 < parameters.verifiers()
                        ? new E2Pass(session, round, index + 1, accumulated)
                        : new E2Result(session, round, accumulated); // (7): node n sends E2(V_n) to P
                return Outcome.advance(next, out);
            }
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, message.getClass().getSimpleName() + " is not for a hop");
        }
    }

    // ---- contract and check ----

    /** The contract sum (3) and the check (9), holding the verifiers' secret r. */
    public static final class VerifierCheck {
        private final Parameters parameters;
        private final String session;
        private final long r;
        private final int round;
        private final List<Contribution> contributions;
        private final Long e1;
        private final int accepted;
        private final List<TranscriptEntry> transcript;
        private final PolyVector vm;

        private VerifierCheck(Parameters parameters, String session, long r, int round, List<Contribution> contributions,
                PolyVector vm, Long e1, int accepted, List<TranscriptEntry> transcript) {
            this.parameters = parameters;
            this.session = session;
            this.r = r;
            this.round = round;
            this.contributions = List.copyOf(contributions);
            this.vm = vm;
            this.e1 = e1;
            this.accepted = accepted;
            this.transcript = List.copyOf(transcript);
        }

        public static VerifierCheck create(Parameters parameters, String session, long r) {
            return new VerifierCheck(parameters, session, r, 0, List.of(), null, null, 0, List.of());
        }

        /** Opens round 0: the message every hop must receive first. */
        public OpenRound start() {
            return new OpenRound(session, 0);
        }

        public int acceptedRounds() {
            return accepted;
        }

        /** What this verifier has seen: {@code (V_m, E1)} per completed or running round. */
        public List<TranscriptEntry> transcript() {
            return transcript;
        }

        public Outcome<VerifierCheck, Message> onMessage(Message message) {
            if (!session.equals(message.session())) {
                return Outcome.refuse(this, Refusal.WRONG_SESSION, "session " + message.session());
            }
            if (round >= parameters.rounds()) {
                return Outcome.refuse(this, Refusal.FINISHED, "all rounds done");
            }
            if (message.round() != round) {
                return Outcome.refuse(this, message.round() < round ? Refusal.REPLAYED : Refusal.OUT_OF_ORDER,
                        "round " + message.round() + " while in round " + round);
            }
            if (message instanceof Contribution c && vm == null) {
                if (c.node() < 0 || c.node() >= parameters.verifiers()) {
                    return Outcome.refuse(this, Refusal.WRONG_HOP, "no node " + c.node());
                }
                if (contributions.stream().anyMatch(x -> x.node() == c.node())) {
                    return Outcome.refuse(this, Refusal.REPLAYED, "node " + c.node() + " already contributed");
                }
                if (!fits(parameters, c.v())) {
                    return Outcome.refuse(this, Refusal.WRONG_DIMENSION, "V_i must be in Z_q^" + parameters.m());
                }
                List<Contribution> all = new ArrayList<>(contributions);
                all.add(c);
                if (all.size() < parameters.verifiers()) {
                    return Outcome.advance(new VerifierCheck(parameters, session, r, round, all, null, null, accepted,
                            transcript), List.of());
                }
                PolyVector sum = contractSum(parameters, all.stream().map(Contribution::v).toList());
                return Outcome.advance(new VerifierCheck(parameters, session, r, round, all, sum, null, accepted, transcript),
                        new RoundOpened(session, round, sum));
            }
            if (message instanceof E1 first && vm != null && e1 == null) {
                if (first.e1() < 0 || first.e1() >= parameters.q()) {
                    return Outcome.refuse(this, Refusal.OUT_OF_RANGE, "E1 not a residue mod q");
                }
                List<TranscriptEntry> seen = new ArrayList<>(transcript);
                seen.add(new TranscriptEntry(vm, first.e1()));
                return Outcome.advance(new VerifierCheck(parameters, session, r, round, contributions, vm, first.e1(),
                        accepted, seen), new E2Pass(session, round, 0, PolyVector.zero(parameters.ring(), parameters.m())));
            }
            if (message instanceof E3 third && e1 != null) {
                Modulus q = parameters.ring().modulus();
                long e4 = q.multiply(r, e1); // (9) E4 = R^T E1 mod q
                boolean ok = third.e3() == e4;
                int next = round + 1;
                boolean last = next == parameters.rounds();
                int acceptedNow = accepted + (ok ? 1 : 0);
                VerifierCheck after = new VerifierCheck(parameters, session, r, next, List.of(), null, null, acceptedNow,
                        transcript);
                RoundVerdict verdict = new RoundVerdict(session, round, ok, last, last && acceptedNow == parameters.rounds());
                return last ? Outcome.advance(after, verdict) : Outcome.advance(after, verdict, new OpenRound(session, next));
            }
            return Outcome.refuse(this, Refusal.OUT_OF_ORDER, message.getClass().getSimpleName() + " out of order");
        }
    }

    /** (3): {@code V_m = Σ V_i}. */
    public static PolyVector contractSum(Parameters parameters, List<PolyVector> contributions) {
        PolyVector sum = PolyVector.zero(parameters.ring(), parameters.m());
        for (PolyVector v : contributions) {
            sum = sum.add(v);
        }
        return sum;
    }

    /** The verifiers' shared secret {@code R = r}, a nonzero scalar. */
    public static long sampleSecret(Parameters parameters, RandomSource random) {
        return 1 + random.nextBelow(parameters.q() - 1);
    }

    /** {@code x + q e (mod q)} with a fresh noise {@code e}: as the paper writes it, and equal to {@code x}. */
    private static long withVanishingNoise(Parameters parameters, long x, RandomSource random) {
        Modulus q = parameters.ring().modulus();
        long e = new BoundedUniform(NOISE_BOUND).sample(random);
        return q.add(x, q.reduce(parameters.q() * e));
    }

    private static PolyVector withVanishingNoise(Parameters parameters, PolyVector x, RandomSource random) {
        long[] e = new BoundedUniform(NOISE_BOUND).samples(parameters.m(), random);
        for (int i = 0; i < e.length; i++) {
            e[i] *= parameters.q();
        }
        return x.add(PolyVector.ofCoefficients(parameters.ring(), e));
    }

    private static boolean fits(Parameters parameters, PolyVector v) {
        return v != null && v.ring().equals(parameters.ring()) && v.length() == parameters.m();
    }
}
