package org.latticare.lattice.sample;

import org.latticare.lattice.ring.Poly;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;

/**
 * Sparse ternary challenges: exactly {@code κ} coefficients in {@code ±1}, the rest zero, derived
 * deterministically from a seed with SHAKE-256 — ML-DSA's {@code SampleInBall} (FIPS 204, Alg. 29)
 * generalised to any length, so that with {@code N = 1} the challenge is a ternary vector of length
 * {@code ℓ} and the plain-matrix case keeps a large challenge space ({@code C(ℓ,κ)·2^κ} challenges).
 */
public final class SampleInBall {

    private SampleInBall() {
    }

    /** A ternary vector of {@code length} entries with exactly {@code weight} of them nonzero. */
    public static long[] ternary(int length, int weight, byte[] seed) {
        if (weight < 0 || weight > length || weight > 64) {
            throw new IllegalArgumentException("need 0 <= weight <= min(length, 64), got " + weight);
        }
        RandomSource xof = RandomSource.shake256(seed);
        long signs = weight == 0 ? 0 : xof.nextBits(63) | ((long) xof.nextByte() << 63);
        long[] c = new long[length];
        // Fisher–Yates on the last `weight` positions, as in ML-DSA
        for (int i = length - weight; i < length; i++) {
            int j = (int) xof.nextBelow(i + 1L);
            c[i] = c[j];
            c[j] = 1 - 2 * (signs & 1);
            signs >>>= 1;
        }
        return c;
    }

    /** A polynomial challenge {@code c ∈ R_q} with {@code ‖c‖₁ = κ} (ML-DSA: {@code N = 256}). */
    public static Poly poly(Ring ring, int weight, byte[] seed) {
        return Poly.of(ring, ternary(ring.degree(), weight, seed));
    }

    /** A challenge vector in {@code R_q^length} with {@code κ} nonzero coefficients over all entries. */
    public static PolyVector vector(Ring ring, int length, int weight, byte[] seed) {
        return PolyVector.ofCoefficients(ring, ternary(length * ring.degree(), weight, seed));
    }
}
