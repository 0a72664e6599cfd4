package org.latticare.zkp.simulate;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.zkp.sigma.IdentificationParameters;

/**
 * The statistic of the zero-knowledge tests: where the coefficients {@code z_j} of accepted responses
 * fall, split by the sign of the matching coefficient {@code s_j} of {@code S c}.
 *
 * <p>Rejection sampling makes an accepted {@code z} uniform on the box {@code [−(γ−β), γ−β]}, β = κη,
 * and independent of {@code S c}. A broken rejection step changes nothing inside that box (given
 * {@code s_j}, {@code z_j} is uniform on an interval that covers it); it shows only beyond it:
 * <ul>
 *   <li>rejection removed: {@code z_j} reaches past the box, on the side of {@code s_j}
 *       ({@code z_j ∈ [s_j − γ, s_j + γ]});</li>
 *   <li>bound loosened to {@code γ − β/4}: {@code z_j} reaches past the box too, and where
 *       {@code |s_j| > β/4} it can no longer reach the far side's edge ({@code z_j ≥ s_j − γ}), so even
 *       against a simulator loosened the same way the region past the box depends on the sign of
 *       {@code s_j}.</li>
 * </ul>
 * The bins are therefore: past the box on each side, the band of width β just inside each edge, and
 * four equal bins across the middle; three classes by the sign of {@code s_j}. The box is recomputed
 * here from γ, κ and η, never read from {@code responseBound()}, so a loosened library bound cannot move
 * the bins with it.
 *
 * <p>{@link #compare} is Pearson's two-sample χ² homogeneity test, stratified by sign class (within a
 * class, under zero knowledge both samples are multinomial over the same bins; the classes themselves
 * are not compared, because the coefficients of one {@code S c} are not independent of each other).
 * Its p-value is bounded with the Chernoff bound on the χ² tail,
 * {@code P(χ²_k ≥ x) ≤ exp(−(k/2)(x/k − 1 − ln(x/k)))} for {@code x > k}: a sample is called
 * distinguishable when that bound is below {@link #ALPHA}, so a correct prover is refused with
 * probability below α (in the χ² limit; every cell of an honest sample in these tests expects hundreds
 * of coefficients or more). A coefficient past the box is a violation on its own: the honest law gives
 * it probability zero.
 */
public final class ResponseHistogram {

    /** False-alarm rate of one comparison; the suites make fewer than ten, so below 10^-6 in all. */
    public static final double ALPHA = 1e-7;

    /**
     * A test-only set on which the loosened bound's dependence on the sign of {@code S c} is large: with
     * N = 1, k = 1, l = 2 (m = 3), η = 4 and κ = 1, {@code s_j} is uniform on [−4, 4] and exceeds
     * β/4 = 1 in magnitude two times in three, and γ = 4β = 16 puts a fifth of the loosened box past
     * the real one. (At ring-id-256, {@code |s_j|} exceeds β/4 = 49 for 0.6 % of coefficients, by 6 on
     * average: even a likelihood-ratio test would need about 1.5·10^5 transcripts to see that part of the
     * leak, while the coefficients past the box show in a few hundred.)
     */
    public static final IdentificationParameters WIDE_EDGES = new IdentificationParameters(98, "test-only-wide-edges", 1,
            Ring.DILITHIUM_PRIME, 1, 2, 4, 16, 1, 8, "none: test only", "test only");

    private static final int INNER_BINS = 4;
    private static final int BINS = INNER_BINS + 4;
    private static final int SIGNS = 3;

    private final long box;
    private final long edge;
    private final long[][] counts = new long[SIGNS][BINS];
    private long largest;

    /** An empty histogram for responses under {@code p}: box {@code γ − κη}, edge bands of width κη. */
    public ResponseHistogram(IdentificationParameters p) {
        this.edge = (long) p.weight() * p.eta();
        this.box = p.gamma() - edge;
    }

    /** Adds the coefficients of one accepted response {@code z} with the {@code S c} it was built on. */
    public void add(PolyVector z, PolyVector sc) {
        long[] zs = z.centeredCoefficients();
        long[] ss = sc.centeredCoefficients();
        if (zs.length != ss.length) {
            throw new IllegalArgumentException("z has " + zs.length + " coefficients, S c has " + ss.length);
        }
        for (int j = 0; j < zs.length; j++) {
            counts[Long.signum(ss[j]) + 1][bin(zs[j])]++;
            largest = Math.max(largest, Math.abs(zs[j]));
        }
    }

    private int bin(long x) {
        if (x < -box) {
            return 0;
        }
        if (x > box) {
            return BINS - 1;
        }
        if (x < -box + edge) {
            return 1;
        }
        if (x > box - edge) {
            return BINS - 2;
        }
        return 2 + (int) ((x + box - edge) * INNER_BINS / (2 * (box - edge) + 1));
    }

    /** Coefficients that lie past the box {@code [−(γ−κη), γ−κη]}. */
    public long pastTheBox() {
        long n = 0;
        for (long[] sign : counts) {
            n += sign[0] + sign[BINS - 1];
        }
        return n;
    }

    /** The largest {@code |z_j|} seen. */
    public long largest() {
        return largest;
    }

    /** This sample against a reference sample (the simulator's, usually). */
    public Comparison compare(ResponseHistogram reference) {
        if (reference.box != box || reference.edge != edge) {
            throw new IllegalArgumentException("histograms of different parameter sets");
        }
        double chiSquare = 0;
        int degreesOfFreedom = 0;
        for (int sign = 0; sign < SIGNS; sign++) {
            long[] r = counts[sign];
            long[] s = reference.counts[sign];
            double nr = total(r);
            double ns = total(s);
            if (nr == 0 || ns == 0) {
                continue;
            }
            int cells = 0;
            for (int b = 0; b < BINS; b++) {
                if (r[b] + s[b] > 0) {
                    double d = r[b] * Math.sqrt(ns / nr) - s[b] * Math.sqrt(nr / ns);
                    chiSquare += d * d / (r[b] + s[b]);
                    cells++;
                }
            }
            degreesOfFreedom += cells - 1;
        }
        return new Comparison(pastTheBox(), chiSquare, degreesOfFreedom, chiSquareTailBound(chiSquare, degreesOfFreedom));
    }

    private static long total(long[] row) {
        long n = 0;
        for (long c : row) {
            n += c;
        }
        return n;
    }

    /** Chernoff's bound on {@code P(χ²_k ≥ x)}; 1 where it says nothing ({@code x ≤ k}). */
    static double chiSquareTailBound(double x, int k) {
        if (k <= 0 || x <= k) {
            return 1;
        }
        double r = x / k;
        return Math.exp(-0.5 * k * (r - 1 - Math.log(r)));
    }

    /**
     * The outcome of one comparison.
     *
     * @param pastTheBox coefficients of the compared sample past the box (zero for an honest prover)
     * @param chiSquare  stratified Pearson statistic
     * @param degreesOfFreedom its degrees of freedom
     * @param tailBound  an upper bound on its p-value
     */
    public record Comparison(long pastTheBox, double chiSquare, int degreesOfFreedom, double tailBound) {

        /** Nothing past the box and a p-value bound of at least {@link #ALPHA}. */
        public boolean indistinguishable() {
            return pastTheBox == 0 && !sameLawRefused();
        }

        /** The χ² test alone refuses the hypothesis that both samples have one law. */
        public boolean sameLawRefused() {
            return tailBound < ALPHA;
        }

        @Override
        public String toString() {
            return String.format("%d coefficients past the box, χ² = %.1f on %d degrees of freedom, p ≤ %.2e",
                    pastTheBox, chiSquare, degreesOfFreedom, tailBound);
        }
    }
}
