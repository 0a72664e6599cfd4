package org.latticare.zkp.nizk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.wire.Decoded;
import org.latticare.zkp.wire.Frame;

/**
 * The paper's outlook made concrete (CRYPTO.md section 3, "Non-interactive variant"): the ring's
 * challenge replaced by Fiat–Shamir, with the commitment compressed to its high bits as in
 * Bai–Galbraith ("An improved compression technique for signatures based on learning with errors",
 * CT-RSA 2014) and CRYSTALS-Dilithium / ML-DSA (FIPS 204), so that only the first part {@code z1} of
 * the response is sent. With {@code tr = H(A-seed ‖ T)} ({@link IdentityPublicKey#digest()}),
 * {@code S = (S1; S2)} and {@link Decomposition} at {@code γ2 = (q−1)/32} (FIPS 204 Algorithms 36–38:
 * Decompose, HighBits, LowBits):
 * <ul>
 *   <li><b>Prove.</b> Mask {@code y1 ← [−γ, γ]^{lN}}, {@code w = A y1}, {@code w1 = HighBits(w)},
 *       {@code c̃ = H(tr ‖ w1 ‖ context)}, {@code c = SampleInBall(c̃)}, {@code z1 = y1 + S1 c}.
 *       Restart with a fresh {@code y1} when {@code ‖z1‖∞ > γ − β} or
 *       {@code ‖LowBits(w − S2 c)‖∞ ≥ γ2 − β} (β = κη). The proof is {@code (c̃, z1)}.</li>
 *   <li><b>Verify.</b> {@code ‖z1‖∞ ≤ γ − β} and {@code H(tr ‖ HighBits(A z1 − T c) ‖ context) = c̃}.</li>
 * </ul>
 * {@code T} is published uncompressed (unlike ML-DSA's {@code t1}), so {@code A z1 − T c} is computed
 * exactly and no hint is needed.
 *
 * <p><b>Correctness.</b> {@code A z1 − T c = A y1 + A S1 c − (A S1 + S2) c = w − S2 c}. The prover has
 * checked {@code ‖LowBits(w − S2 c)‖∞ < γ2 − β}, and {@code ‖S2 c‖∞ ≤ β}, so by Dilithium's lemma
 * ({@link Decomposition}) adding {@code S2 c} back does not change the high bits:
 * {@code HighBits(A z1 − T c) = HighBits(w) = w1}, and the verifier recomputes the prover's hash input.
 *
 * <p><b>Zero knowledge.</b> Both rejection tests are functions of public values ({@code z1} and
 * {@code w − S2 c = A z1 − T c}), so, as for ML-DSA, a simulator draws {@code z1} uniform on
 * {@code [−(γ−β), γ−β]^{lN}} and {@code c}, applies the same low-bits test and programs the hash.
 *
 * <p><b>Soundness.</b> Two accepting proofs on the same {@code w1} with challenges {@code c ≠ c'}
 * (forking) give {@code A z1 − T c = α w1 + e} and {@code A z1' − T c' = α w1 + e'} with
 * {@code α = 2γ2} and {@code ‖e‖∞, ‖e'‖∞ ≤ γ2}, hence the nonzero kernel vector
 * {@code (z1 − z1'; e' − e; c' − c)} of {@code [A | I | T]} with parts bounded by {@code 2(γ−β)},
 * {@code 2γ2} and 2: MSIS (tightly in the QROM, SelfTargetMSIS, exactly as for ML-DSA). The rounding
 * takes the place of {@code z2} in the second part and bounds it by {@code 2γ2 ≈ 2^19} instead of
 * {@code 2(γ−β) ≈ 2^20}, so the claim of {@link IdentificationParameters#claimedSecurity()} still holds.
 *
 * <p>Encoding (frame type {@link Frame.Type#COMPRESSED_PROOF}): {@code c̃ (32) ‖ z1} with the l·N
 * coefficients stored as {@code z_i + (γ − β)} at {@code ⌈log2(2(γ−β)+1)⌉} bits, little-endian packed,
 * zero padding: {@code 8 + 32 + 1280·20/8 = 3 240} bytes for both parameter sets (l·N = 1 280 in each).
 * The hash absorbs {@code w1} packed at 4 bits per coefficient (ML-DSA's {@code w1Encode}) under the
 * domain {@code latticare/zkp/nizk/v2}; proofs of the earlier, uncompressed version ({@code PROOF},
 * domain v1) do not verify.
 */
public final class NonInteractiveProof {

    private static final String DOMAIN = "latticare/zkp/nizk/v2";

    /** The proof {@code (c̃, z1)}. */
    public record Proof(IdentificationParameters parameters, byte[] challengeSeed, PolyVector z1) {
        public Proof {
            Objects.requireNonNull(parameters);
            Objects.requireNonNull(z1);
            if (challengeSeed.length != 32) {
                throw new IllegalArgumentException("challenge seed must be 32 bytes");
            }
            challengeSeed = challengeSeed.clone();
        }

        @Override
        public byte[] challengeSeed() {
            return challengeSeed.clone();
        }

        /** The challenge {@code c = SampleInBall(c̃)}. */
        public PolyVector challenge() {
            return LyubashevskyIdentification.challenge(parameters, challengeSeed);
        }

        /** @throws IllegalArgumentException if {@code ‖z1‖∞ > γ − β} (no accepted proof has that) */
        public byte[] encode() {
            ByteBuffer out = Frame.begin(Frame.Type.COMPRESSED_PROOF, parameters.id(), bodyBytes(parameters));
            out.put(challengeSeed);
            Frame.putShort(out, z1.centeredCoefficients(), parameters.responseBound());
            return out.array();
        }

        public static Decoded<Proof> decode(IdentificationParameters p, byte[] bytes) {
            return Decoded.parse(bytes, in -> {
                Frame.expect(Frame.open(in, p.id()), Frame.Type.COMPRESSED_PROOF);
                byte[] seed = Frame.getBytes(in, 32);
                long[] z1 = Frame.getShort(in, p.columns() * p.degree(), p.responseBound());
                return new Proof(p, seed, PolyVector.ofCoefficients(p.ring(), z1));
            });
        }

        /** Bytes of an encoded proof, frame header included. */
        public static int encodedBytes(IdentificationParameters p) {
            return Frame.HEADER_BYTES + bodyBytes(p);
        }

        private static int bodyBytes(IdentificationParameters p) {
            return 32 + Frame.shortBytes(p.columns() * p.degree(), p.responseBound());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Proof other && other.parameters.equals(parameters)
                    && Arrays.equals(other.challengeSeed, challengeSeed) && other.z1.equals(z1);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(challengeSeed) * 31 + z1.hashCode();
        }
    }

    /** A proof and how many attempts rejection sampling took to produce it. */
    public record Proved(Proof proof, int attempts) {
    }

    /**
     * One attempt of the prover from the mask {@code y1}: the candidate {@code (c̃, z1)} and the outcome
     * of each rejection test, both always evaluated (tests look at the rejected candidates too).
     */
    record Attempt(Proof candidate, boolean responseShort, boolean lowBitsSafe) {
        boolean accepted() {
            return responseShort && lowBitsSafe;
        }
    }

    private NonInteractiveProof() {
    }

    public static Proved prove(IdentityKeyPair keys, byte[] context, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        Decomposition decomposition = Decomposition.of(p);
        if (p.beta() >= decomposition.gamma2()) {
            throw new IllegalArgumentException(p.name() + ": β = " + p.beta() + " leaves no low bits below γ2 − β");
        }
        byte[] tr = keys.publicKey().digest();
        for (int attempts = 1; ; attempts++) {
            PolyVector y1 = LyubashevskyIdentification.mask(p, p.columns(), random);
            Attempt attempt = attempt(keys, decomposition, tr, context, y1);
            if (attempt.accepted()) {
                return new Proved(attempt.candidate(), attempts);
            }
        }
    }

    static Attempt attempt(IdentityKeyPair keys, Decomposition decomposition, byte[] tr, byte[] context, PolyVector y1) {
        IdentificationParameters p = keys.publicKey().parameters();
        PolyVector w = keys.publicKey().a().multiply(y1);
        byte[] seed = challengeSeed(tr, decomposition.encodeHighBits(w), context);
        PolyVector sc = keys.secretKey().s().multiply(LyubashevskyIdentification.challenge(p, seed));
        PolyVector z1 = y1.add(sc.slice(0, p.columns()));
        PolyVector wMinusS2c = w.subtract(sc.slice(p.columns(), p.witnessLength()));
        return new Attempt(new Proof(p, seed, z1), z1.infinityNorm() <= p.responseBound(),
                decomposition.lowBitsNorm(wMinusS2c) < decomposition.gamma2() - p.beta());
    }

    public static boolean verify(IdentityPublicKey key, byte[] context, Proof proof) {
        IdentificationParameters p = key.parameters();
        if (proof == null || !proof.parameters().equals(p) || !LyubashevskyIdentification.shaped(p, proof.z1(), p.columns())
                || proof.z1().infinityNorm() > p.responseBound()) {
            return false;
        }
        return Arrays.equals(recomputedChallengeSeed(key, context, proof), proof.challengeSeed);
    }

    /** Decodes and verifies; any malformed encoding is simply a proof that does not verify. */
    public static boolean verify(IdentityPublicKey key, byte[] context, byte[] encodedProof) {
        Decoded<Proof> decoded = Proof.decode(key.parameters(), encodedProof);
        return decoded instanceof Decoded.Success<Proof> s && verify(key, context, s.value());
    }

    /** {@code H(tr ‖ HighBits(A z1 − T c) ‖ context)}: what c̃ must be (the norm of z1 is checked apart). */
    static byte[] recomputedChallengeSeed(IdentityPublicKey key, byte[] context, Proof proof) {
        PolyVector w = key.a().multiply(proof.z1()).subtract(key.t().multiply(proof.challenge()));
        return challengeSeed(key.digest(), Decomposition.of(key.parameters()).encodeHighBits(w), context);
    }

    private static byte[] challengeSeed(byte[] tr, byte[] w1, byte[] context) {
        return LyubashevskyIdentification.hash(DOMAIN, tr, w1, Objects.requireNonNull(context));
    }
}
