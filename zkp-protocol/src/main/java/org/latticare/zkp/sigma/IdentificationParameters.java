package org.latticare.zkp.sigma;

import java.math.BigInteger;

import org.latticare.lattice.ring.Ring;

/**
 * A parameter set of the sound identification (CRYPTO.md section 3, "Sound variant").
 *
 * <p>Key hiding uses the <b>MLWE form</b> of ML-DSA: the public matrix is {@code [A | I]} with
 * {@code A ∈ R_q^{k×l}} expanded from a seed, the witness is {@code S = (S1; S2)} with
 * {@code S1 ∈ [−η, η]^{l×ℓ}}, {@code S2 ∈ [−η, η]^{k×ℓ}}, and the public key is
 * {@code T = [A | I]·S = A S1 + S2 ∈ R_q^{k×ℓ}}, indistinguishable from uniform under MLWE. The
 * witness length is {@code m = l + k}. In the interactive protocol every response {@code z ∈ R_q^m}
 * is sent in full (no ML-DSA-style high-bits compression), so that E4 is literally
 * {@code [A | I] z − T c = u}; the non-interactive proof ({@code nizk.NonInteractiveProof}) sends only
 * {@code z1 ∈ R_q^l} and hashes the high bits of {@code A y1} at {@link #gamma2() γ2}, as ML-DSA does.
 *
 * <p>Challenges are sparse ternary: {@code c ∈ R_q^ℓ} with exactly κ nonzero coefficients in total,
 * {@code ‖S c‖∞ ≤ β = κη}; responses are accepted iff {@code ‖z‖∞ ≤ γ − β}.
 *
 * @param id              parameter-set id on the wire
 * @param name            human-readable name
 * @param degree          N
 * @param q               modulus
 * @param rows            k, rows of A (and of T, u)
 * @param columns         l, columns of A (length of S1)
 * @param eta             η, bound of the secret coefficients
 * @param gamma           γ, bound of the mask coefficients
 * @param weight          κ, nonzero coefficients of a challenge
 * @param challengeLength ℓ, entries of a challenge vector (= columns of S and T)
 * @param claimedSecurity what is claimed, in words
 * @param source          where the claim comes from
 */
public record IdentificationParameters(int id, String name, int degree, long q, int rows, int columns, int eta,
        long gamma, int weight, int challengeLength, String claimedSecurity, String source) {

    /**
     * {@code N = 256}, the fast set: ML-DSA-65's module dimensions {@code (k, l) = (6, 5)}, η = 4,
     * κ = τ = 49, γ = γ1 = 2^19, ℓ = 1 (one challenge polynomial). Challenge space
     * {@code C(256, 49)·2^49 ≈ 2^225}.
     */
    public static final IdentificationParameters N256 = new IdentificationParameters(2, "ring-id-256", 256,
            Ring.DILITHIUM_PRIME, 6, 5, 4, 1L << 19, 49, 1,
            "NIST level 3 (about 2^182 classical / 2^165 quantum core-SVP) for key recovery (MLWE); impersonation"
                    + " reduces to MSIS/SelfTargetMSIS for [A | I | T] at infinity bound 2(γ−β) < 2^20",
            "MLWE: identical instance to ML-DSA-65 (CRYSTALS-Dilithium v3.1 spec, Table 1, Dilithium3: 623 / 182 / 165);"
                    + " recomputed by lattice CoreSvpEstimate.primal(1280, q, 2.58, 1536). MSIS: the same A as ML-DSA-65 with"
                    + " bound ≈ 2^20 on every part; ML-DSA-65's own bound on its second part is ≈ 2^19.8, so the claim rests on"
                    + " that comparison and is not independently estimated");

    /**
     * {@code N = 1}, the paper's notation (plain matrices over {@code Z_q}): the same lattice dimensions
     * as {@link #N256} unrolled ({@code A ∈ Z_q^{1536×1280}}), η = 4, γ = 2^19, and a ternary challenge
     * vector of length ℓ = 128 with weight κ = 31 applied to the 128 columns of S. Challenge space
     * {@code C(128, 31)·2^31 ≈ 2^129.6}.
     */
    public static final IdentificationParameters N1 = new IdentificationParameters(1, "ring-id-1", 1,
            Ring.DILITHIUM_PRIME, 1536, 1280, 4, 1L << 19, 31, 128,
            "about 2^182 classical core-SVP for key recovery (each column of T is an LWE instance of dimension 1280"
                    + " with 1536 samples, η = 4); impersonation reduces to SIS for [A | I | T] at infinity bound < 2^20",
            "LWE: lattice CoreSvpEstimate.primal(1280, q, 2.58, 1536), the unstructured twin of ML-DSA-65's MLWE"
                    + " (no known attack uses the module structure); 128 LWE secrets share one A, which the estimate does"
                    + " not penalise. SIS: as for ring-id-256, by comparison with ML-DSA-65, not independently estimated");

    public IdentificationParameters {
        if (weight > challengeLength * degree || weight > 64) {
            throw new IllegalArgumentException("challenge weight must be at most min(ℓN, 64)");
        }
        if ((long) weight * eta >= gamma) {
            throw new IllegalArgumentException("γ must exceed β = κη");
        }
    }

    public static IdentificationParameters byId(int id) {
        return switch (id) {
            case 1 -> N1;
            case 2 -> N256;
            default -> null;
        };
    }

    public Ring ring() {
        return RingHolder.of(degree, q);
    }

    /** m = l + k, the length of the witness S's columns, of masks y and of responses z. */
    public int witnessLength() {
        return columns + rows;
    }

    /** β = κη, the largest possible {@code ‖S c‖∞}. */
    public long beta() {
        return (long) weight * eta;
    }

    /** γ − β: responses with a larger coefficient are rejected (by the prover) and refused (by verifiers). */
    public long responseBound() {
        return gamma - beta();
    }

    /** {@code log2(C(ℓN, κ)·2^κ)}: the number of distinct challenges. */
    public double challengeSpaceBits() {
        BigInteger c = BigInteger.ONE;
        int n = challengeLength * degree;
        for (int i = 0; i < weight; i++) {
            c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return c.bitLength() - 1 + Math.log(c.shiftRight(c.bitLength() - 53).doubleValue() / (1L << 52)) / Math.log(2)
                + weight;
    }

    /**
     * Expected number of attempts per accepted interactive response (z sent in full): each of the {@code mN} coefficients of
     * {@code z = y + Sc} survives with probability {@code (2(γ−β)+1)/(2γ+1)}.
     */
    public double expectedAttempts() {
        double p = (2.0 * responseBound() + 1) / (2.0 * gamma + 1);
        return Math.pow(p, -(double) witnessLength() * degree);
    }

    /**
     * γ2 = (q − 1)/32, the low-order rounding range of the non-interactive proof's high bits: ML-DSA-65's
     * γ2 (261 888 for q = 8 380 417, so high bits lie in [0, 15]). The proof needs {@code 32 | q − 1}
     * and {@code β < γ2}; both sets here have them.
     */
    public long gamma2() {
        return (q - 1) / 32;
    }

    /**
     * Expected number of attempts per non-interactive proof (the compressed, ML-DSA-style one): an
     * attempt survives when each of the {@code lN} coefficients of {@code z1 = y1 + S1 c} stays within
     * γ − β, probability {@code (2(γ−β)+1)/(2γ+1)} each, and each of the {@code kN} coefficients of
     * {@code LowBits(A y1 − S2 c)} has absolute value below γ2 − β, probability
     * {@code (2(γ2−β)−1)/(2γ2)} each. Approximation, as in the Dilithium paper's repetition estimate:
     * {@code A y1} is taken as uniform mod q (its low bits then uniform on (−γ2, γ2], up to one residue
     * in q) and all coefficients and both tests as independent.
     */
    public double expectedProofAttempts() {
        double responseSurvives = (2.0 * responseBound() + 1) / (2.0 * gamma + 1);
        double lowBitsSurvive = (2.0 * (gamma2() - beta()) - 1) / (2.0 * gamma2());
        return Math.pow(responseSurvives, -(double) columns * degree) * Math.pow(lowBitsSurvive, -(double) rows * degree);
    }

    /** One {@link Ring} instance per set, so that cached NTT forms are shared. */
    private static final class RingHolder {
        private static final java.util.Map<Long, Ring> RINGS = new java.util.concurrent.ConcurrentHashMap<>();

        static Ring of(int degree, long q) {
            return RINGS.computeIfAbsent(((long) degree << 40) ^ q, k -> Ring.of(degree, q));
        }
    }
}
