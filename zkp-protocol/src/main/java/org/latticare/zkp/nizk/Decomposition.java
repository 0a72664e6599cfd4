package org.latticare.zkp.nizk;

import java.nio.ByteBuffer;

import org.latticare.lattice.encoding.WireFormat;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.zkp.sigma.IdentificationParameters;

/**
 * ML-DSA's split of a residue into high and low bits, FIPS 204 Algorithm 36 ({@code Decompose}),
 * 37 ({@code HighBits}) and 38 ({@code LowBits}), with {@code α = 2γ2} dividing {@code q − 1}:
 * for {@code r ∈ [0, q)}, {@code r0 = r mod± α ∈ (−γ2, γ2]}; if {@code r − r0 = q − 1} then
 * {@code (r1, r0) = (0, r0 − 1)}, else {@code r1 = (r − r0)/α}. Always {@code r ≡ r1·α + r0 (mod q)},
 * {@code r1 ∈ [0, (q−1)/α)} and {@code r0 ∈ [−γ2, γ2]} (−γ2 only in the corner case, which folds the
 * residues just below {@code q − 1} onto {@code r1 = 0} so that there is no {@code r1 = (q−1)/α}).
 *
 * <p>What the non-interactive proof relies on is the lemma behind the correctness of Dilithium's
 * signing (Ducas et al., "CRYSTALS-Dilithium", TCHES 2018, section 3; used the same way by FIPS 204 ML-DSA.Sign): if {@code ‖LowBits(r)‖∞ < γ2 − β} and {@code ‖s‖∞ ≤ β} then
 * {@code HighBits(r + s) = HighBits(r)}: adding {@code s} moves {@code r} within the same interval of
 * width α, and the corner case is what keeps this true across {@code 0 ≡ q}.
 */
public final class Decomposition {

    private final long q;
    private final long gamma2;
    private final long alpha;
    private final int highBitsRange;
    private final int highBitsWidth;

    /** @throws IllegalArgumentException unless {@code 2γ2} divides {@code q − 1} with at least two intervals */
    public Decomposition(long q, long gamma2) {
        if (gamma2 <= 0 || q <= 2 || (q - 1) % (2 * gamma2) != 0 || (q - 1) / (2 * gamma2) < 2) {
            throw new IllegalArgumentException("2γ2 = " + 2 * gamma2 + " must divide q − 1 = " + (q - 1) + " at least twice");
        }
        this.q = q;
        this.gamma2 = gamma2;
        this.alpha = 2 * gamma2;
        long range = (q - 1) / alpha;
        if (range > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("γ2 too small for q: " + range + " high-bit values");
        }
        this.highBitsRange = (int) range;
        this.highBitsWidth = 64 - Long.numberOfLeadingZeros(range - 1);
    }

    /** The decomposition of a parameter set, {@code γ2 = (q − 1)/32} (ML-DSA-65's). */
    public static Decomposition of(IdentificationParameters p) {
        return new Decomposition(p.q(), p.gamma2());
    }

    public long gamma2() {
        return gamma2;
    }

    /** {@code (q − 1)/(2γ2)}: high bits lie in {@code [0, highBitsRange())} (16 for ML-DSA-65's γ2). */
    public int highBitsRange() {
        return highBitsRange;
    }

    /** Bits per packed high part, {@code ⌈log2 highBitsRange()⌉} (4 for ML-DSA-65's γ2). */
    public int highBitsWidth() {
        return highBitsWidth;
    }

    /** {@code HighBits(r) = r1} for a residue {@code r ∈ [0, q)}. */
    public long highBits(long r) {
        long r0 = centeredModAlpha(r);
        return r - r0 == q - 1 ? 0 : (r - r0) / alpha;
    }

    /** {@code LowBits(r) = r0 ∈ [−γ2, γ2]} for a residue {@code r ∈ [0, q)}. */
    public long lowBits(long r) {
        long r0 = centeredModAlpha(r);
        return r - r0 == q - 1 ? r0 - 1 : r0;
    }

    /** {@code ‖LowBits(v)‖∞} over every coefficient of {@code v}. */
    public long lowBitsNorm(PolyVector v) {
        long max = 0;
        for (long r : v.coefficients()) {
            max = Math.max(max, Math.abs(lowBits(r)));
        }
        return max;
    }

    /**
     * The canonical bytes of {@code w1 = HighBits(w)}: every coefficient's high part, entry by entry,
     * packed little-endian at {@link #highBitsWidth()} bits (ML-DSA's {@code w1Encode}; 4 bits here).
     */
    public byte[] encodeHighBits(PolyVector w) {
        long[] coefficients = w.coefficients();
        long[] high = new long[coefficients.length];
        for (int i = 0; i < high.length; i++) {
            high[i] = highBits(coefficients[i]);
        }
        ByteBuffer out = ByteBuffer.allocate(WireFormat.packedBytes(high.length, highBitsWidth));
        WireFormat.pack(out, high, highBitsWidth);
        return out.array();
    }

    /** {@code r mod± α ∈ (−γ2, γ2]}. */
    private long centeredModAlpha(long r) {
        if (r < 0 || r >= q) {
            throw new IllegalArgumentException("not a residue mod " + q + ": " + r);
        }
        long r0 = r % alpha;
        return r0 > gamma2 ? r0 - alpha : r0;
    }
}
