package org.latticare.lattice.sample;

/**
 * The discrete Gaussian {@code D_{Z,σ}} (weights {@code exp(-x²/2σ²)}) cut at {@code ±⌈τσ⌉}, sampled by
 * inversion of a cumulative distribution table (CDT).
 *
 * <p>The table scan visits every entry and counts with an arithmetic sign bit instead of a branch, so
 * the sequence of memory accesses and branches does not depend on the sample (the JIT gives no hard
 * constant-time guarantee; this is the usual best effort on the JVM). Table entries are probabilities
 * scaled to {@code 2^63} and computed in double precision, so each probability is exact to about
 * {@code 2^-53}; with {@code τ = 10} the tail mass that is cut is below {@code 2^-70}.
 */
public final class DiscreteGaussian implements ShortDistribution {

    /** Tail cut in standard deviations. */
    public static final double TAIL_CUT = 10.0;

    private final double sigma;
    private final long bound;
    private final long[] cdt; // cdt[i] = 2^63 · P(X <= -bound + i), i < 2·bound

    public DiscreteGaussian(double sigma) {
        if (!(sigma >= 0.5 && sigma <= 4096)) {
            throw new IllegalArgumentException("sigma must be in [0.5, 4096] for a CDT sampler, got " + sigma);
        }
        this.sigma = sigma;
        this.bound = (long) Math.ceil(TAIL_CUT * sigma);
        int size = (int) (2 * bound + 1);
        double[] weights = new double[size];
        double total = 0;
        for (int i = 0; i < size; i++) {
            double x = i - bound;
            weights[i] = Math.exp(-x * x / (2 * sigma * sigma));
            total += weights[i];
        }
        this.cdt = new long[size - 1];
        double cumulative = 0;
        for (int i = 0; i < size - 1; i++) {
            cumulative += weights[i];
            cdt[i] = (long) Math.min(Math.scalb(cumulative / total, 63), (double) Long.MAX_VALUE);
        }
    }

    @Override
    public long sample(RandomSource random) {
        long r = random.nextBits(63);
        long count = 0;
        for (long entry : cdt) {
            // 1 exactly when entry <= r; both are in [0, 2^63) so the difference cannot overflow
            count += (entry - r - 1) >>> 63;
        }
        return count - bound;
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public long bound() {
        return bound;
    }

    @Override
    public double variance() {
        return sigma * sigma;
    }
}
