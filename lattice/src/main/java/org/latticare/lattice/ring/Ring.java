package org.latticare.lattice.ring;

import java.util.Objects;

/**
 * The ring {@code R_q = Z_q[X]/(X^N + 1)} for a power-of-two {@code N} (CRYPTO.md section 1).
 *
 * <p>{@code N = 1} is plain {@code Z_q}: the paper's matrices over {@code Z_q} are the degree-1 case of
 * the same code. Multiplication uses the negacyclic NTT when {@code q} is prime and
 * {@code 2N | q - 1}, and schoolbook negacyclic convolution otherwise.
 *
 * <p>Sums of products (dot products, matrix products) go through one mechanism: operands are first
 * <em>prepared</em> (NTT form, or a plain copy for schoolbook), raw products are added into a
 * <em>wide accumulator</em> without reduction for as many terms as {@link #accumulationBudget()}
 * allows, and the accumulator is reduced and transformed back once. For {@code q = 8380417} that is one
 * reduction per 131 071 products instead of one per product.
 */
public final class Ring {

    /** Default modulus of the module-lattice schemes: ML-DSA's prime, {@code q ≡ 1 mod 512}. */
    public static final long DILITHIUM_PRIME = 8380417L;

    private final int degree;
    private final Modulus modulus;
    private final NegacyclicNtt ntt;
    private final int budget;
    private final boolean lazy;

    private Ring(int degree, Modulus modulus, boolean allowNtt) {
        if (degree < 1 || Integer.bitCount(degree) != 1 || degree > (1 << 16)) {
            throw new IllegalArgumentException("degree N must be a power of two in [1, 2^16], got " + degree);
        }
        this.degree = degree;
        this.modulus = Objects.requireNonNull(modulus);
        this.ntt = allowNtt ? NegacyclicNtt.forRing(modulus, degree) : null;
        // a schoolbook accumulator cell receives up to N products per term
        int productsPerCell = ntt != null ? 1 : degree;
        this.lazy = modulus.productFitsLong() && modulus.lazyTerms() >= productsPerCell;
        this.budget = lazy ? modulus.lazyTerms() / productsPerCell : Integer.MAX_VALUE;
    }

    /** {@code Z_q[X]/(X^N+1)}, with the NTT whenever it exists. */
    public static Ring of(int degree, long q) {
        return new Ring(degree, Modulus.of(q), true);
    }

    public static Ring of(int degree, Modulus modulus) {
        return new Ring(degree, modulus, true);
    }

    /** The same ring multiplied by schoolbook convolution only: the reference the NTT is tested against. */
    public static Ring schoolbook(int degree, long q) {
        return new Ring(degree, Modulus.of(q), false);
    }

    public int degree() {
        return degree;
    }

    public Modulus modulus() {
        return modulus;
    }

    public boolean usesNtt() {
        return ntt != null;
    }

    // ---- the shared sum-of-products mechanism (package-private; Poly, PolyVector, PolyMatrix use it) ----

    /** Width of an accumulator in longs: N for NTT products, 2N for schoolbook convolutions. */
    int accumulatorWidth() {
        return ntt != null ? degree : 2 * degree;
    }

    /** Number of {@link #multiplyAccumulate} calls an accumulator absorbs before {@link #reduceAccumulator}. */
    int accumulationBudget() {
        return budget;
    }

    /** NTT ring whose raw products fit a long: accumulation is a plain pointwise multiply-add. */
    boolean pointwiseLazy() {
        return ntt != null && lazy;
    }

    /** Copy of {@code count} polynomials (coefficient form) prepared for {@link #multiplyAccumulate}. */
    long[] prepare(long[] coefficients, int count) {
        long[] prepared = coefficients.clone();
        if (ntt != null && degree > 1) {
            for (int i = 0; i < count; i++) {
                ntt.forward(prepared, i * degree);
            }
        }
        return prepared;
    }

    /** {@code acc += a·b} for prepared operands; raw (unreduced) when the ring is lazy. */
    void multiplyAccumulate(long[] acc, int accOff, long[] a, int aOff, long[] b, int bOff) {
        int n = degree;
        if (ntt != null) {
            if (lazy) {
                for (int i = 0; i < n; i++) {
                    acc[accOff + i] += a[aOff + i] * b[bOff + i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    acc[accOff + i] = modulus.add(acc[accOff + i], modulus.multiply(a[aOff + i], b[bOff + i]));
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            long ai = a[aOff + i];
            if (ai == 0) {
                continue;
            }
            int base = accOff + i;
            if (lazy) {
                for (int j = 0; j < n; j++) {
                    acc[base + j] += ai * b[bOff + j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    acc[base + j] = modulus.add(acc[base + j], modulus.multiply(ai, b[bOff + j]));
                }
            }
        }
    }

    /** Reduces every cell of one accumulator to {@code [0, q)} so that accumulation can continue. */
    void reduceAccumulator(long[] acc, int accOff) {
        if (!lazy) {
            return;
        }
        int width = accumulatorWidth();
        for (int i = accOff; i < accOff + width; i++) {
            acc[i] = modulus.reduceNonNegative(acc[i]);
        }
    }

    /** Reduces an accumulator and writes the polynomial (coefficient form) to {@code out[outOff..]}. */
    void finishAccumulator(long[] acc, int accOff, long[] out, int outOff) {
        int n = degree;
        if (ntt != null) {
            if (lazy) {
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = modulus.reduceNonNegative(acc[accOff + i]);
                }
            } else {
                System.arraycopy(acc, accOff, out, outOff, n);
            }
            if (n > 1) {
                ntt.inverse(out, outOff);
            }
            return;
        }
        reduceAccumulator(acc, accOff);
        // X^N = -1: the upper half of the convolution folds back with a minus sign
        for (int i = 0; i < n; i++) {
            out[outOff + i] = modulus.subtract(acc[accOff + i], acc[accOff + n + i]);
        }
    }

    /** Reduces arbitrary signed longs to residues in place. */
    void reduceAll(long[] values) {
        long q = modulus.value();
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            // the common case, small signed values, without the general (sign-branching) reduction
            values[i] = v >= -q && v < q ? v + ((v >> 63) & q) : modulus.reduce(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring r && r.degree == degree && r.modulus.equals(modulus);
    }

    @Override
    public int hashCode() {
        return 31 * degree + modulus.hashCode();
    }

    @Override
    public String toString() {
        return degree == 1 ? modulus.toString() : modulus + "[X]/(X^" + degree + "+1)";
    }
}
