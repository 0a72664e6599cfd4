package org.latticare.zkp.ring;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;

/**
 * The sound ring identification (CRYPTO.md section 3, the default): Lyubashevsky's lattice
 * Σ-protocol whose challenge is produced by the paper's ring, so that every verifier contributes and
 * none controls it. Paper step by step:
 * <ul>
 *   <li>E1, in place of (4): the prover sends {@link Commitment} {@code u = [A | I] y} to every verifier;</li>
 *   <li>E2, in place of (5)–(7): ring position 0, on the commitment, draws a fresh 256-bit
 *       {@code V_0}, folds {@code E2_0 = H(0^32 ‖ 0 ‖ V_0)} ({@link RingAccumulator}), signs its hop and
 *       sends a {@link RingPass} to position 1; position i verifies the earlier hops, adds its own, and
 *       the last position sends {@link ChallengeIssued} (all n signed hops) to the prover and to every
 *       verifier; {@code c = SampleInBall(H(tr ‖ session ‖ round ‖ attempt ‖ u ‖ E2_n))};</li>
 *   <li>E3, in place of (8): the prover sends {@link Response} {@code z = y + S c}, or — when
 *       {@code ‖z‖∞ > γ − β} — restarts the round with a fresh {@link Commitment} (attempt + 1);</li>
 *   <li>E4, in place of (9): every verifier checks {@code ‖z‖∞ ≤ γ − β} and {@code [A | I] z − T c = u};
 *       after T accepted rounds, or at the first failed check, it emits its ML-DSA-65-signed
 *       {@link Verdict}; {@link VerdictTally} applies the {@link QuorumRule}.</li>
 * </ul>
 * Machines: {@link ProverSession}, {@link VerifierSession} (one per verifier per session; it is also
 * that verifier's ring hop) and {@link VerdictTally}. Encodings: {@link MessageCodec}.
 */
public final class RingChallengeIdentification {

    private RingChallengeIdentification() {
    }

    /**
     * Per-deployment settings: T rounds (1 suffices with a ≥ 2^128 challenge space; more for the
     * paper's comparison) and the restart limit after which a verifier gives up on a round.
     */
    public record Settings(int rounds, int maxAttempts) {
        public Settings {
            if (rounds < 1 || rounds > 1 << 16 || maxAttempts < 1 || maxAttempts > 1 << 16) {
                throw new IllegalArgumentException("rounds and maxAttempts must be in [1, 65536]");
            }
        }

        /** One round; give up after 64 restarts (probability about 0.65^64 ≈ 2^-40 for an honest prover). */
        public static Settings standard() {
            return new Settings(1, 64);
        }
    }

    /** Why a verifier's verdict is what it is. Codes are on the wire; never renumber. */
    public enum Reason {
        IDENTIFIED(0),
        NORM_BOUND(1),
        EQUATION(2),
        TOO_MANY_ATTEMPTS(3);

        public final int code;

        Reason(int code) {
            this.code = code;
        }

        public static Reason ofCode(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return null;
        }
    }

    // ---- messages ----

    public sealed interface Message permits Commitment, RingPass, ChallengeIssued, Response, Verdict {
        String session();
    }

    /** E1: prover → every verifier. */
    public record Commitment(String session, int round, int attempt, PolyVector u) implements Message {
    }

    /** One hop of the ring: position, fresh contribution {@code V_i}, ML-DSA-65 signature of the hop. */
    public record Hop(int index, byte[] contribution, byte[] signature) {
    }

    /** E2 in transit: position {@code hops.size()} receives it; {@code accumulator = E2_{hops.size()-1}}. */
    public record RingPass(String session, int round, int attempt, byte[] commitmentDigest, byte[] accumulator,
            List<Hop> hops) implements Message {
        public RingPass {
            hops = List.copyOf(hops);
        }
    }

    /** E2 complete: last position → prover and every verifier; {@code accumulator = E2_n}. */
    public record ChallengeIssued(String session, int round, int attempt, byte[] commitmentDigest, byte[] accumulator,
            List<Hop> hops) implements Message {
        public ChallengeIssued {
            hops = List.copyOf(hops);
        }
    }

    /** E3: prover → every verifier. */
    public record Response(String session, int round, int attempt, PolyVector z) implements Message {
    }

    /**
     * E4: verifier → contract, signed over {@link #verdictPayload}; {@code rounds} is the number of rounds
     * this verifier accepted, {@code transcript} the hash chain of every round it checked.
     */
    public record Verdict(String session, int verifier, boolean accepted, Reason reason, int rounds, byte[] transcript,
            byte[] signature) implements Message {
    }

    // ---- hashes and signed payloads (one place) ----

    static byte[] commitmentDigest(IdentificationParameters p, String session, int round, int attempt, PolyVector u) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/commitment/v1", utf8(session), ints(round, attempt),
                LyubashevskyIdentification.residueBytes(p.ring(), u));
    }

    static byte[] hopPayload(String session, int round, int attempt, byte[] commitmentDigest, int index, byte[] contribution) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/hop/v1", utf8(session), ints(round, attempt, index),
                commitmentDigest, contribution);
    }

    /** The challenge seed {@code H(tr ‖ session ‖ round ‖ attempt ‖ u ‖ E2_n)}. */
    public static byte[] challengeSeed(IdentityPublicKey key, String session, int round, int attempt, PolyVector u,
            byte[] e2) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/challenge/v1", key.digest(), utf8(session),
                ints(round, attempt), LyubashevskyIdentification.residueBytes(key.parameters().ring(), u), e2);
    }

    static byte[] transcriptStep(byte[] previous, byte[] commitmentDigest, byte[] e2, PolyVector z, IdentificationParameters p) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/transcript/v1", previous, commitmentDigest, e2,
                LyubashevskyIdentification.residueBytes(p.ring(), z));
    }

    /** What a verdict signature covers: the identity, the session, the verifier and its decision. */
    public static byte[] verdictPayload(IdentityPublicKey key, String session, int verifier, boolean accepted,
            Reason reason, int rounds, byte[] transcript) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/verdict/v1", key.digest(), utf8(session),
                ints(verifier, accepted ? 1 : 0, reason.code, rounds), transcript);
    }

    /** A failed check of a ring message: which refusal, and why. */
    record Problem(Refusal reason, String detail) {
    }

    /**
     * Checks the hops of a pass or of an issued challenge: positions 0..count−1 in order, 32-byte
     * contributions, signatures under the registered keys, and the carried accumulator equal to the fold.
     * Returns null when everything holds.
     */
    static Problem checkHops(RingMembers members, String session, int round, int attempt, byte[] commitmentDigest,
            byte[] accumulator, List<Hop> hops, int count) {
        if (hops.size() != count) {
            return new Problem(Refusal.WRONG_HOP, "expected " + count + " hops, got " + hops.size());
        }
        for (int i = 0; i < count; i++) {
            Hop hop = hops.get(i);
            if (hop.index() != i) {
                return new Problem(Refusal.WRONG_HOP, "hop " + i + " claims position " + hop.index());
            }
            if (hop.contribution() == null || hop.contribution().length != RingAccumulator.CONTRIBUTION_BYTES) {
                return new Problem(Refusal.WRONG_DIMENSION, "contribution of hop " + i + " is not 32 bytes");
            }
            byte[] payload = hopPayload(session, round, attempt, commitmentDigest, i, hop.contribution());
            if (!members.signedBy(i, payload, hop.signature())) {
                return new Problem(Refusal.BAD_SIGNATURE, "signature of hop " + i);
            }
        }
        if (accumulator == null || !java.util.Arrays.equals(accumulator, RingAccumulator.foldAll(hops))) {
            return new Problem(Refusal.INCONSISTENT, "accumulator is not the fold of the hops");
        }
        return null;
    }

    static byte[] utf8(String s) {
        return Objects.requireNonNull(s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
