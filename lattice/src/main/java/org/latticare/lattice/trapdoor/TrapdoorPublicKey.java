package org.latticare.lattice.trapdoor;

import java.util.Arrays;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.UniformSampler;

/**
 * The public matrix {@code A = [I_n | Â | A_2] ∈ R_q^{n×m}}, stored as the 32-byte seed of {@code Â}
 * and {@code A_2 = G − ĀR}. {@link #times(PolyVector)} computes {@code s^T A} without multiplying by
 * the identity block.
 */
public final class TrapdoorPublicKey {

    private final TrapdoorParameters parameters;
    private final byte[] seed;
    private final PolyMatrix aHat;
    private final PolyMatrix a2;

    public TrapdoorPublicKey(TrapdoorParameters parameters, byte[] seed, PolyMatrix a2) {
        Ring ring = parameters.ring();
        if (!a2.ring().equals(ring) || a2.rows() != parameters.rank() || a2.cols() != parameters.gadgetColumns()) {
            throw new IllegalArgumentException("A_2 has the wrong shape for " + parameters);
        }
        this.parameters = parameters;
        this.seed = seed.clone();
        this.aHat = UniformSampler.expand(ring, parameters.rank(), parameters.rank(), this.seed);
        this.a2 = a2;
    }

    public TrapdoorParameters parameters() {
        return parameters;
    }

    public byte[] seed() {
        return seed.clone();
    }

    public PolyMatrix aHat() {
        return aHat;
    }

    /** {@code A_2 = G − ĀR}. */
    public PolyMatrix a2() {
        return a2;
    }

    /** {@code Ā = [I_n | Â]}. */
    public PolyMatrix aBar() {
        return PolyMatrix.identity(parameters.ring(), parameters.rank()).concatColumns(aHat);
    }

    /** {@code A = [Ā | A_2]} in full. */
    public PolyMatrix matrix() {
        return aBar().concatColumns(a2);
    }

    /** {@code s^T A = (s, s^T Â, s^T A_2)}. */
    public PolyVector times(PolyVector s) {
        return s.concat(aHat.leftMultiply(s)).concat(a2.leftMultiply(s));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrapdoorPublicKey k && k.parameters == parameters && Arrays.equals(k.seed, seed) && k.a2.equals(a2);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seed) * 31 + a2.hashCode();
    }
}
