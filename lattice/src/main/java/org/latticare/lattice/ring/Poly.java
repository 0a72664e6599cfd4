package org.latticare.lattice.ring;

import java.util.Arrays;
import java.util.Objects;

/**
 * An element {@code a = Σ a_i X^i} of {@link Ring} {@code R_q}, immutable, coefficients stored as
 * residues in {@code [0, q)}. Norms are taken on centred representatives {@code a_i mod± q}.
 */
public final class Poly {

    private final Ring ring;
    private final long[] coefficients;

    Poly(Ring ring, long[] residues) {
        this.ring = ring;
        this.coefficients = residues;
    }

    /** The polynomial with the given coefficients (any signed values, reduced mod q); length must be N. */
    public static Poly of(Ring ring, long... coefficients) {
        if (coefficients.length != ring.degree()) {
            throw new IllegalArgumentException("expected " + ring.degree() + " coefficients, got " + coefficients.length);
        }
        long[] c = coefficients.clone();
        ring.reduceAll(c);
        return new Poly(ring, c);
    }

    public static Poly zero(Ring ring) {
        return new Poly(ring, new long[ring.degree()]);
    }

    /** The constant polynomial {@code c} (for {@code N = 1}, simply the scalar {@code c}). */
    public static Poly constant(Ring ring, long c) {
        long[] a = new long[ring.degree()];
        a[0] = ring.modulus().reduce(c);
        return new Poly(ring, a);
    }

    public Ring ring() {
        return ring;
    }

    /** Coefficient {@code a_i} as a residue in {@code [0, q)}. */
    public long coefficient(int i) {
        return coefficients[i];
    }

    /** Coefficient {@code a_i mod± q} in {@code (-q/2, q/2]}. */
    public long centeredCoefficient(int i) {
        return ring.modulus().centered(coefficients[i]);
    }

    /** Copy of the coefficients as residues. */
    public long[] coefficients() {
        return coefficients.clone();
    }

    /** Copy of the coefficients as centred representatives. */
    public long[] centeredCoefficients() {
        long[] c = new long[coefficients.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = ring.modulus().centered(coefficients[i]);
        }
        return c;
    }

    public Poly add(Poly other) {
        requireSameRing(other);
        Modulus m = ring.modulus();
        long[] r = new long[coefficients.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.add(coefficients[i], other.coefficients[i]);
        }
        return new Poly(ring, r);
    }

    public Poly subtract(Poly other) {
        requireSameRing(other);
        Modulus m = ring.modulus();
        long[] r = new long[coefficients.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.subtract(coefficients[i], other.coefficients[i]);
        }
        return new Poly(ring, r);
    }

    public Poly negate() {
        Modulus m = ring.modulus();
        long[] r = new long[coefficients.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.negate(coefficients[i]);
        }
        return new Poly(ring, r);
    }

    /** Product in {@code R_q} (NTT or schoolbook, as the ring decides). */
    public Poly multiply(Poly other) {
        requireSameRing(other);
        long[] acc = new long[ring.accumulatorWidth()];
        ring.multiplyAccumulate(acc, 0, ring.prepare(coefficients, 1), 0, ring.prepare(other.coefficients, 1), 0);
        long[] r = new long[ring.degree()];
        ring.finishAccumulator(acc, 0, r, 0);
        return new Poly(ring, r);
    }

    /** Product with the scalar {@code c ∈ Z_q}. */
    public Poly multiply(long c) {
        Modulus m = ring.modulus();
        long s = m.reduce(c);
        long[] r = new long[coefficients.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.multiply(coefficients[i], s);
        }
        return new Poly(ring, r);
    }

    /** {@code ‖a‖∞ = max_i |a_i mod± q|}. */
    public long infinityNorm() {
        return Norms.infinityNorm(ring.modulus(), coefficients, 0, coefficients.length);
    }

    public boolean isZero() {
        for (long c : coefficients) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    long[] residues() {
        return coefficients;
    }

    private void requireSameRing(Poly other) {
        if (!ring.equals(other.ring)) {
            throw new IllegalArgumentException("operands in different rings: " + ring + " and " + other.ring);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poly p && p.ring.equals(ring) && Arrays.equals(p.coefficients, coefficients);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ring, Arrays.hashCode(coefficients));
    }

    @Override
    public String toString() {
        return ring.degree() == 1 ? Long.toString(coefficients[0]) : Arrays.toString(centeredCoefficients());
    }
}
