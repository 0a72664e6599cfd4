package org.latticare.lattice.ring;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A vector in {@code R_q^ℓ}, immutable. For {@code N = 1} it is a plain vector over {@code Z_q}.
 * Coefficients are stored flat ({@code ℓ·N} residues), entry {@code i} at {@code [i·N, (i+1)·N)}.
 */
public final class PolyVector {

    private final Ring ring;
    private final int length;
    private final long[] flat;
    private volatile long[] prepared;

    PolyVector(Ring ring, int length, long[] flat) {
        this.ring = ring;
        this.length = length;
        this.flat = flat;
    }

    public static PolyVector zero(Ring ring, int length) {
        return new PolyVector(ring, length, new long[length * ring.degree()]);
    }

    public static PolyVector of(Poly... entries) {
        return of(List.of(entries));
    }

    public static PolyVector of(List<Poly> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("empty vector: use zero(ring, 0)");
        }
        Ring ring = entries.get(0).ring();
        int n = ring.degree();
        long[] flat = new long[entries.size() * n];
        for (int i = 0; i < entries.size(); i++) {
            Poly p = entries.get(i);
            if (!p.ring().equals(ring)) {
                throw new IllegalArgumentException("entries in different rings");
            }
            System.arraycopy(p.residues(), 0, flat, i * n, n);
        }
        return new PolyVector(ring, entries.size(), flat);
    }

    /**
     * The vector whose entry {@code i} has coefficients {@code coefficients[i·N .. (i+1)·N)}; any signed
     * values, reduced mod q. For {@code N = 1} this is the plain vector of the given integers.
     */
    public static PolyVector ofCoefficients(Ring ring, long... coefficients) {
        if (coefficients.length % ring.degree() != 0) {
            throw new IllegalArgumentException("coefficient count not a multiple of N = " + ring.degree());
        }
        long[] flat = coefficients.clone();
        ring.reduceAll(flat);
        return new PolyVector(ring, coefficients.length / ring.degree(), flat);
    }

    public Ring ring() {
        return ring;
    }

    public int length() {
        return length;
    }

    public Poly get(int i) {
        Objects.checkIndex(i, length);
        int n = ring.degree();
        return new Poly(ring, Arrays.copyOfRange(flat, i * n, (i + 1) * n));
    }

    /** All {@code ℓ·N} coefficients as residues, entry by entry. */
    public long[] coefficients() {
        return flat.clone();
    }

    /** All {@code ℓ·N} coefficients as centred representatives {@code mod± q}. */
    public long[] centeredCoefficients() {
        Modulus m = ring.modulus();
        long[] c = new long[flat.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = m.centered(flat[i]);
        }
        return c;
    }

    public PolyVector add(PolyVector other) {
        requireShape(other);
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.add(flat[i], other.flat[i]);
        }
        return new PolyVector(ring, length, r);
    }

    public PolyVector subtract(PolyVector other) {
        requireShape(other);
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.subtract(flat[i], other.flat[i]);
        }
        return new PolyVector(ring, length, r);
    }

    public PolyVector negate() {
        Modulus m = ring.modulus();
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.negate(flat[i]);
        }
        return new PolyVector(ring, length, r);
    }

    /** Every entry times the scalar {@code c ∈ Z_q}. */
    public PolyVector multiply(long c) {
        Modulus m = ring.modulus();
        long s = m.reduce(c);
        long[] r = new long[flat.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.multiply(flat[i], s);
        }
        return new PolyVector(ring, length, r);
    }

    /** Every entry times the ring element {@code c} (e.g. {@code t·c} for a challenge polynomial). */
    public PolyVector multiply(Poly c) {
        if (!c.ring().equals(ring)) {
            throw new IllegalArgumentException("scalar in a different ring");
        }
        // v·c as the (ℓ×1)·(1×1) matrix product
        long[] cPrepared = ring.prepare(c.residues(), 1);
        return new PolyVector(ring, length, Products.multiply(ring, prepared(), cPrepared, length, 1, 1));
    }

    /** {@code ⟨a, b⟩ = Σ a_i b_i ∈ R_q}, reduced once. */
    public Poly dot(PolyVector other) {
        requireShape(other);
        long[] r = Products.multiply(ring, prepared(), other.preparedFor(ring), 1, length, 1);
        return new Poly(ring, r);
    }

    /** {@code ‖v‖∞}: the largest centred coefficient in absolute value, over all entries. */
    public long infinityNorm() {
        return Norms.infinityNorm(ring.modulus(), flat, 0, flat.length);
    }

    /** {@code (this ‖ other)}. */
    public PolyVector concat(PolyVector other) {
        if (!other.ring.equals(ring)) {
            throw new IllegalArgumentException("vectors in different rings");
        }
        long[] r = Arrays.copyOf(flat, flat.length + other.flat.length);
        System.arraycopy(other.flat, 0, r, flat.length, other.flat.length);
        return new PolyVector(ring, length + other.length, r);
    }

    /** Entries {@code [from, to)}. */
    public PolyVector slice(int from, int to) {
        Objects.checkFromToIndex(from, to, length);
        int n = ring.degree();
        return new PolyVector(ring, to - from, Arrays.copyOfRange(flat, from * n, to * n));
    }

    long[] residues() {
        return flat;
    }

    long[] prepared() {
        long[] p = prepared;
        if (p == null) {
            p = ring.prepare(flat, length);
            prepared = p;
        }
        return p;
    }

    /** The prepared form for {@code r}; the cache is only valid for the ring instance that made it. */
    long[] preparedFor(Ring r) {
        return r == ring ? prepared() : r.prepare(flat, length);
    }

    private void requireShape(PolyVector other) {
        if (!other.ring.equals(ring) || other.length != length) {
            throw new IllegalArgumentException("shape mismatch: " + length + " over " + ring
                    + " vs " + other.length + " over " + other.ring);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolyVector v && v.ring.equals(ring) && v.length == length && Arrays.equals(v.flat, flat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ring, length, Arrays.hashCode(flat));
    }

    @Override
    public String toString() {
        return "PolyVector[" + length + " over " + ring + "]";
    }
}
