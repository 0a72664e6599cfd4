package org.latticare.zkp.ring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>E2, in place of (5)–(7), in two laps of the ring so that no member chooses its contribution after
 *       seeing another's (CRYPTO.md section 6). Lap one: each position i, once u is fixed, draws a fresh
 *       256-bit {@code V_i} and salt, and appends its signed {@link Hop}, the commitment
 *       {@code h_i = H(V_i ‖ salt_i ‖ session ‖ i ‖ round ‖ attempt ‖ digest(u))}; lap two: each position
 *       checks all n commitments and the earlier openings, opens its own ({@link Reveal}) and folds
 *       {@code E2_i = H(E2_{i−1} ‖ i ‖ V_i)} ({@link RingAccumulator}); the last position sends
 *       {@link ChallengeIssued} (all commitments and openings) to the prover and to every verifier;
 *       {@code c = SampleInBall(H(tr ‖ session ‖ round ‖ attempt ‖ u ‖ E2_n))};</li>
 *   <li>E3, in place of (8): the prover sends {@link Response} {@code z = y + S c} together with the
 *       {@code E2_n} and the commitments it answered, or — when {@code ‖z‖∞ > γ − β} — restarts the round
 *       with a fresh {@link Commitment} (attempt + 1);</li>
 *   <li>E4, in place of (9): every verifier checks that the prover answered the ring's {@code E2_n} (else
 *       a member equivocated: {@link Reason#EQUIVOCATION}, naming the position whose commitment differs),
 *       then {@code ‖z‖∞ ≤ γ − β} and {@code [A | I] z − T c = u}; after T accepted rounds, or at the first
 *       failed check, it emits its ML-DSA-65-signed {@link Verdict}, whose transcript chains every round's
 *       {@code E2_n}; {@link VerdictTally} applies the {@link QuorumRule}.</li>
 * </ul>
 * A member can still refuse to open its commitment (the pass stalls and the round is restarted, which the
 * actors attribute to that position); it cannot choose what the challenge will be.
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
        TOO_MANY_ATTEMPTS(3),
        /** A ring member showed the prover and the verifiers different contributions. */
        EQUIVOCATION(4);

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

    /** Bytes of a contribution's salt. */
    public static final int SALT_BYTES = 32;
    /** The verdict's {@code suspect} when no ring position is named. */
    public static final int NO_SUSPECT = -1;

    // ---- messages ----

    public sealed interface Message permits Commitment, RingPass, ChallengeIssued, Response, Verdict {
        String session();
    }

    /** E1: prover → every verifier. */
    public record Commitment(String session, int round, int attempt, PolyVector u) implements Message {
    }

    /** Lap one of E2: position {@code index} commits to its contribution, signed with its ML-DSA-65 key. */
    public record Hop(int index, byte[] commitment, byte[] signature) {
    }

    /** Lap two of E2: position {@code index} opens its commitment. */
    public record Reveal(int index, byte[] contribution, byte[] salt) {
    }

    /**
     * E2 in transit. Lap one while fewer than n hops are signed: position {@code hops.size()} receives it;
     * lap two once all n are: position {@code reveals.size()} receives it, and
     * {@code accumulator = E2_{reveals.size()−1}}.
     */
    public record RingPass(String session, int round, int attempt, byte[] commitmentDigest, byte[] accumulator,
            List<Hop> hops, List<Reveal> reveals) implements Message {
        public RingPass {
            hops = List.copyOf(hops);
            reveals = List.copyOf(reveals);
        }

        /** The ring position this pass is for, in a ring of {@code ringSize}. */
        public int recipient(int ringSize) {
            return hops.size() < ringSize ? hops.size() : reveals.size();
        }
    }

    /** E2 complete: last position → prover and every verifier; {@code accumulator = E2_n}. */
    public record ChallengeIssued(String session, int round, int attempt, byte[] commitmentDigest, byte[] accumulator,
            List<Hop> hops, List<Reveal> reveals) implements Message {
        public ChallengeIssued {
            hops = List.copyOf(hops);
            reveals = List.copyOf(reveals);
        }
    }

    /**
     * E3: prover → every verifier, bound to the ring output it answered: {@code accumulator} is the
     * {@code E2_n} it received and {@code commitments} the n commitments of that challenge, in ring order.
     */
    public record Response(String session, int round, int attempt, byte[] accumulator, List<byte[]> commitments,
            PolyVector z) implements Message {
        public Response {
            commitments = List.copyOf(commitments);
        }
    }

    /**
     * E4: verifier → contract, signed over {@link #verdictPayload}; {@code rounds} is the number of rounds
     * this verifier accepted, {@code transcript} the hash chain of every round it checked (each round's
     * commitment digest, {@code E2_n} and z), {@code suspect} the position named by an
     * {@link Reason#EQUIVOCATION} verdict (else {@link #NO_SUSPECT}).
     */
    public record Verdict(String session, int verifier, boolean accepted, Reason reason, int rounds, int suspect,
            byte[] transcript, byte[] signature) implements Message {
    }

    // ---- hashes and signed payloads (one place) ----

    static byte[] commitmentDigest(IdentificationParameters p, String session, int round, int attempt, PolyVector u) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/commitment/v1", utf8(session), ints(round, attempt),
                LyubashevskyIdentification.residueBytes(p.ring(), u));
    }

    /** {@code h_i}: what position i commits to in lap one (SHA3-256, CRYPTO.md section 6). */
    public static byte[] contributionCommitment(String session, int round, int attempt, byte[] commitmentDigest, int index,
            byte[] contribution, byte[] salt) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/contribution/v2", contribution, salt, utf8(session),
                ints(index, round, attempt), commitmentDigest);
    }

    public static byte[] hopPayload(String session, int round, int attempt, byte[] commitmentDigest, int index, byte[] commitment) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/hop/v2", utf8(session), ints(round, attempt, index),
                commitmentDigest, commitment);
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
            Reason reason, int rounds, int suspect, byte[] transcript) {
        return LyubashevskyIdentification.hash("latticare/zkp/ring/verdict/v2", key.digest(), utf8(session),
                ints(verifier, accepted ? 1 : 0, reason.code, rounds, suspect), transcript);
    }

    /** A failed check of a ring message: which refusal, and why. */
    record Problem(Refusal reason, String detail) {
    }

    /**
     * Checks the first {@code count} signed commitments of a pass or of an issued challenge: positions in
     * order, 32-byte commitments, signatures under the registered keys. A hop equal to one in
     * {@code checked} (already verified by this machine) is not verified again. Null when all hold.
     */
    static Problem checkHops(RingMembers members, String session, int round, int attempt, byte[] commitmentDigest,
            List<Hop> hops, int count, List<Hop> checked) {
        if (hops.size() != count) {
            return new Problem(Refusal.WRONG_HOP, "expected " + count + " signed commitments, got " + hops.size());
        }
        for (int i = 0; i < count; i++) {
            Hop hop = hops.get(i);
            if (hop.index() != i) {
                return new Problem(Refusal.WRONG_HOP, "hop " + i + " claims position " + hop.index());
            }
            if (hop.commitment() == null || hop.commitment().length != 32) {
                return new Problem(Refusal.WRONG_DIMENSION, "commitment of hop " + i + " is not 32 bytes");
            }
            if (i < checked.size() && sameHop(checked.get(i), hop)) {
                continue;
            }
            byte[] payload = hopPayload(session, round, attempt, commitmentDigest, i, hop.commitment());
            if (!members.signedBy(i, payload, hop.signature())) {
                return new Problem(Refusal.BAD_SIGNATURE, "signature of hop " + i);
            }
        }
        return null;
    }

    /**
     * Checks the first {@code count} openings against the signed commitments, and the carried accumulator
     * against their fold. Null when all hold.
     */
    static Problem checkReveals(String session, int round, int attempt, byte[] commitmentDigest, List<Hop> hops,
            List<Reveal> reveals, int count, byte[] accumulator) {
        if (reveals.size() != count) {
            return new Problem(Refusal.WRONG_HOP, "expected " + count + " openings, got " + reveals.size());
        }
        for (int i = 0; i < count; i++) {
            Reveal reveal = reveals.get(i);
            if (reveal.index() != i) {
                return new Problem(Refusal.WRONG_HOP, "opening " + i + " claims position " + reveal.index());
            }
            if (reveal.contribution() == null || reveal.contribution().length != RingAccumulator.CONTRIBUTION_BYTES
                    || reveal.salt() == null || reveal.salt().length != SALT_BYTES) {
                return new Problem(Refusal.WRONG_DIMENSION, "opening " + i + " is not a 32-byte value and salt");
            }
            byte[] opened = contributionCommitment(session, round, attempt, commitmentDigest, i, reveal.contribution(),
                    reveal.salt());
            if (!Arrays.equals(opened, hops.get(i).commitment())) {
                return new Problem(Refusal.INCONSISTENT, "opening " + i + " does not match its commitment");
            }
        }
        if (accumulator == null || !Arrays.equals(accumulator, RingAccumulator.foldAll(reveals))) {
            return new Problem(Refusal.INCONSISTENT, "accumulator is not the fold of the openings");
        }
        return null;
    }

    static boolean sameHop(Hop a, Hop b) {
        return a.index() == b.index() && Arrays.equals(a.commitment(), b.commitment())
                && Arrays.equals(a.signature(), b.signature());
    }

    /**
     * The positions that signed two different commitments for the same session, round, attempt and u in
     * {@code a} and {@code b} — proof of equivocation, since only a position's key signs its hop. Hops whose
     * signatures do not verify prove nothing and are ignored.
     */
    public static List<Integer> equivocators(RingMembers members, ChallengeIssued a, ChallengeIssued b) {
        if (!a.session().equals(b.session()) || a.round() != b.round() || a.attempt() != b.attempt()
                || !Arrays.equals(a.commitmentDigest(), b.commitmentDigest())) {
            return List.of();
        }
        List<Integer> named = new ArrayList<>();
        for (Hop x : a.hops()) {
            for (Hop y : b.hops()) {
                if (x.index() == y.index() && x.index() >= 0 && x.index() < members.size()
                        && !Arrays.equals(x.commitment(), y.commitment())
                        && members.signedBy(x.index(), hopPayload(a.session(), a.round(), a.attempt(),
                                a.commitmentDigest(), x.index(), x.commitment()), x.signature())
                        && members.signedBy(y.index(), hopPayload(b.session(), b.round(), b.attempt(),
                                b.commitmentDigest(), y.index(), y.commitment()), y.signature())) {
                    named.add(x.index());
                }
            }
        }
        return List.copyOf(named);
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
