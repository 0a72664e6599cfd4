package org.latticare.lattice.sample;

import org.latticare.lattice.ring.Poly;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;

/**
 * A distribution on small integers (secrets, errors, masks), sampled coefficient by coefficient.
 * {@link #bound()} and {@link #variance()} are what the noise budgets of the schemes are written in.
 */
public interface ShortDistribution {

    /** One sample, a small signed integer. */
    long sample(RandomSource random);

    /** Largest possible {@code |x|}. */
    long bound();

    /** Variance of one sample. */
    double variance();

    default long[] samples(int count, RandomSource random) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = sample(random);
        }
        return out;
    }

    default Poly poly(Ring ring, RandomSource random) {
        return Poly.of(ring, samples(ring.degree(), random));
    }

    default PolyVector vector(Ring ring, int length, RandomSource random) {
        return PolyVector.ofCoefficients(ring, samples(length * ring.degree(), random));
    }

    default PolyMatrix matrix(Ring ring, int rows, int cols, RandomSource random) {
        return PolyMatrix.ofCoefficients(ring, rows, cols, samples(rows * cols * ring.degree(), random));
    }
}
