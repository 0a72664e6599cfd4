package org.latticare.lattice.security;

/**
 * The "core-SVP" cost of the primal (uSVP) attack on LWE, computed the way the NewHope, Kyber and
 * Dilithium specifications do (Alkim–Ducas–Pöppelmann–Schwabe 2016, "2016 estimate"): embed {@code m}
 * LWE samples of an {@code n}-dimensional secret into a lattice of dimension {@code d = n + m + 1};
 * BKZ with block size {@code β} recovers the short vector when
 * {@code σ·√β ≤ δ(β)^{2β-d-1} · q^{m/d}}; one SVP call in dimension {@code β} costs
 * {@code 2^{0.292β}} classically and {@code 2^{0.265β}} quantumly. The attacker picks the best
 * {@code m} up to the number of samples available.
 *
 * <p>This is an <em>estimate</em> of the best known attack under a standard heuristic, not a proof, and
 * it ignores the dual and hybrid attacks (which the Kyber and Dilithium specifications found no better
 * for comparable parameters). {@code CoreSvpEstimateTest} checks that it reproduces the published
 * figures of Dilithium's own MLWE instances before it is trusted for ours; the lattice-estimator
 * (Albrecht et al.) is the tool to rerun for a full analysis.
 */
public final class CoreSvpEstimate {

    private CoreSvpEstimate() {
    }

    /** The estimate: smallest successful block size and the resulting classical and quantum bits. */
    public record Result(int blockSize, int samplesUsed, double classicalBits, double quantumBits) {
    }

    /**
     * @param dimension      LWE secret dimension {@code n} (for module LWE: rank × N)
     * @param q              modulus
     * @param sigma          standard deviation of secret and error coefficients
     * @param maxSamples     number of LWE samples available to the attacker (coefficients)
     */
    public static Result primal(int dimension, double q, double sigma, int maxSamples) {
        for (int beta = 50; beta <= 2000; beta++) {
            double delta = rootHermiteFactor(beta);
            for (int m = Math.max(1, beta - dimension); m <= maxSamples; m += Math.max(1, maxSamples / 2000)) {
                int d = dimension + m + 1;
                if (beta > d) {
                    continue;
                }
                double lhs = Math.log(sigma) + 0.5 * Math.log(beta);
                double rhs = (2.0 * beta - d - 1) * Math.log(delta) + ((double) m / d) * Math.log(q);
                if (lhs <= rhs) {
                    return new Result(beta, m, 0.292 * beta, 0.265 * beta);
                }
            }
        }
        return new Result(2000, maxSamples, 0.292 * 2000, 0.265 * 2000);
    }

    /** {@code δ(β) = ((πβ)^{1/β} · β / (2πe))^{1/(2(β-1))}} (Chen's thesis, as used in ADPS16). */
    static double rootHermiteFactor(int beta) {
        double b = beta;
        return Math.pow(Math.pow(Math.PI * b, 1.0 / b) * b / (2 * Math.PI * Math.E), 1.0 / (2 * (b - 1)));
    }
}
