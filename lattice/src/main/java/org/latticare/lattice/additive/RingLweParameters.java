package org.latticare.lattice.additive;

import java.util.List;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.CenteredBinomial;
import org.latticare.lattice.sample.ShortDistribution;

/**
 * Parameters of {@link RingLweAdditive}, with the noise budget written down (CRYPTO.md section 4).
 *
 * <p>Notation: ring degree {@code N}, modulus {@code q}, plaintext modulus {@code t},
 * {@code Δ = ⌊q/t⌋}, at most {@code n} key holders, at most {@code M} ciphertexts summed. Secrets
 * {@code s_i} and encryption randomness {@code u} are ternary (uniform in {-1,0,1}); errors
 * {@code e_i, e_1, e_2} are centred binomial with {@code η = 21} ({@code σ ≈ 3.24}, {@code |e| ≤ B_e = 21}).
 *
 * <p><b>Decryption is correct when</b> {@code ‖v_agg‖∞ + n·B_sm + t < Δ/2}, where:
 * <ul>
 *   <li><i>fresh noise</i> {@code v = e·u + e_1 − e_2·s} with {@code e = Σe_i}, {@code s = Σs_i}:
 *       worst case {@code ‖v‖∞ ≤ 2·n·N·B_e + B_e};</li>
 *   <li><i>M additions</i>: noise adds, {@code ‖v_agg‖∞ ≤ M·‖v‖∞} (worst case; the typical size is
 *       {@code √M·σ_v} with {@code σ_v² ≈ 2nN·σ_e²·(2/3)});</li>
 *   <li><i>smudging</i>: each of the {@code n} partial decryptions adds noise uniform in
 *       {@code [-B_sm, B_sm]};</li>
 *   <li>{@code t} accounts for {@code q mod t}, the rounding loss of {@code Δ = ⌊q/t⌋}.</li>
 * </ul>
 * {@link #STATISTICS}: {@code N = 4096}, {@code q = 2^60 − 2^14·… + 1} (60 bits, {@code q ≡ 1 mod 2^14}),
 * {@code t = 2^16}, {@code n ≤ 16}, {@code M ≤ 10^4}: worst-case {@code ‖v‖∞ ≤ 2·16·4096·21 + 21 ≈ 2^21.4},
 * {@code M·‖v‖∞ ≤ 2^34.7}, {@code B_sm = 2^38} so {@code n·B_sm = 2^42}, total {@code < 2^42.02}
 * against {@code Δ/2 ≈ 2^43}: correct in the worst case, not just with high probability.
 *
 * <p><b>Smudging margin — read this.</b> {@code B_sm} exceeds the worst-case aggregate noise by
 * {@code 2^3.3} and its typical size ({@code √M·σ_v ≈ 2^16.5}) by {@code 2^21.5}. By the smudging lemma
 * the statistical distance per coefficient is about {@code ‖v_agg‖/B_sm}, so this is a heuristic
 * flooding margin of the kind Lattigo uses ({@code σ = 2^30}), <em>not</em> a {@code 2^-40} statistical
 * guarantee: that would need about 20 more bits of modulus (a second RNS prime). One 60-bit prime is
 * what CRYPTO.md section 4 fixes; the gap is reported, not hidden.
 *
 * <p><b>Security.</b> Ring-LWE, {@code N = 4096}, {@code log2 q = 60}, ternary secret, {@code σ ≈ 3.2}:
 * the HomomorphicEncryption.org standard (Albrecht et al. 2018, Table 1, as in SEAL's
 * {@code hestdparms.h}) allows {@code log2 q ≤ 109} at {@code N = 4096} for 128-bit classical security;
 * 60 bits is well inside. {@code RingLweAdditiveTest} also recomputes the core-SVP estimate.
 */
public final class RingLweParameters {

    /** A 60-bit prime, {@code q ≡ 1 (mod 2^14)}: NTT-friendly up to {@code N = 8192}. */
    public static final long PRIME_60 = 1152921504606830593L;

    public static final RingLweParameters STATISTICS = new RingLweParameters(
            1, "STATISTICS", 4096, PRIME_60, 1L << 16, 16, 10_000, 1L << 38,
            "128 bits classical: HomomorphicEncryption.org standard Table 1 (N=4096 allows log q ≤ 109)");

    /** Small ring for fast tests; same modulus, no security claim. */
    public static final RingLweParameters TEST = new RingLweParameters(
            2, "TEST", 64, PRIME_60, 1L << 16, 16, 10_000, 1L << 38, "none (N = 64: a toy)");

    public static final List<RingLweParameters> ALL = List.of(STATISTICS, TEST);

    private final int id;
    private final String name;
    private final Ring ring;
    private final long plaintextModulus;
    private final int maxParties;
    private final int maxAdditions;
    private final long smudgingBound;
    private final String claimedSecurity;

    private RingLweParameters(int id, String name, int degree, long q, long t, int maxParties, int maxAdditions,
                              long smudgingBound, String claimedSecurity) {
        this.id = id;
        this.name = name;
        this.ring = Ring.of(degree, q);
        this.plaintextModulus = t;
        this.maxParties = maxParties;
        this.maxAdditions = maxAdditions;
        this.smudgingBound = smudgingBound;
        this.claimedSecurity = claimedSecurity;
        if (worstCaseNoise() >= delta() / 2) {
            throw new IllegalArgumentException(name + ": noise budget exceeded");
        }
    }

    public static RingLweParameters byId(int id) {
        for (RingLweParameters p : ALL) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown ring-LWE parameter set " + id);
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Ring ring() {
        return ring;
    }

    /** {@code t}. */
    public long plaintextModulus() {
        return plaintextModulus;
    }

    /** {@code Δ = ⌊q/t⌋}. */
    public long delta() {
        return ring.modulus().value() / plaintextModulus;
    }

    public int maxParties() {
        return maxParties;
    }

    public int maxAdditions() {
        return maxAdditions;
    }

    /** {@code B_sm}: bound of each party's smudging noise. */
    public long smudgingBound() {
        return smudgingBound;
    }

    public String claimedSecurity() {
        return claimedSecurity;
    }

    public ShortDistribution secretDistribution() {
        return new BoundedUniform(1);
    }

    public ShortDistribution errorDistribution() {
        return new CenteredBinomial(21);
    }

    /** Worst-case {@code ‖v‖∞} of a fresh ciphertext under a key of {@code n} shares. */
    public long worstCaseFreshNoise() {
        long be = errorDistribution().bound();
        return 2L * maxParties * ring.degree() * be + be;
    }

    /** {@code M·‖v‖∞ + n·B_sm + t}: the worst case the budget must keep below {@code Δ/2}. */
    public long worstCaseNoise() {
        return maxAdditions * worstCaseFreshNoise() + maxParties * smudgingBound + plaintextModulus;
    }

    @Override
    public String toString() {
        return name + "(N=" + ring.degree() + ", log2 q=" + ring.modulus().bitLength() + ", t=" + plaintextModulus
                + ", n<=" + maxParties + ", M<=" + maxAdditions + ", B_sm=2^" + (63 - Long.numberOfLeadingZeros(smudgingBound)) + ")";
    }
}
