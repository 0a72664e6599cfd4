package org.latticare.lattice.ring;

/**
 * Number-theoretic transform for {@code Z_q[X]/(X^N+1)}, available when {@code q} is prime and
 * {@code 2N | q - 1}. With {@code ψ} a primitive {@code 2N}-th root of unity, the forward transform
 * maps {@code a} to its evaluations at the odd powers {@code ψ^{2i+1}}, the roots of {@code X^N+1},
 * so a product in the ring becomes a coordinate-wise product. The butterflies are the in-place
 * Cooley–Tukey / Gentleman–Sande pair of the ML-DSA reference code (bit-reversed twiddle order, no
 * separate bit-reversal pass). For {@code N = 1} both transforms are the identity.
 */
final class NegacyclicNtt {

    private final Modulus modulus;
    private final int n;
    private final long[] zetas;          // ψ^{brv(i)} in Montgomery form
    private final long[] inverseZetas;   // -ψ^{brv(i)}: with ψ^N = -1 this is the inverse butterfly's twiddle
    private final long nInverseMontgomery;
    // Shoup's precomputed quotients floor(w·2^32/q), used instead of Montgomery when q < 2^31
    private final boolean shoup;
    private final long q;
    private final long[] zetasPlain;
    private final long[] zetasShoup;
    private final long[] inverseZetasPlain;
    private final long[] inverseZetasShoup;
    private final long nInversePlain;
    private final long nInverseShoup;
    private final long lastZetaPlain;   // N^{-1}·(last-layer twiddle), folded
    private final long lastZetaShoup;

    private NegacyclicNtt(Modulus modulus, int n, long psi) {
        this.modulus = modulus;
        this.n = n;
        this.zetas = new long[n];
        this.inverseZetas = new long[n];
        int logN = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) {
            long z = modulus.power(psi, logN == 0 ? 0 : Integer.reverse(i) >>> (32 - logN));
            zetas[i] = modulus.toMontgomery(z);
            inverseZetas[i] = modulus.toMontgomery(modulus.negate(z));
        }
        this.nInverseMontgomery = modulus.toMontgomery(modulus.inverse(n));
        this.q = modulus.value();
        // lazy forward butterflies let values reach (2·log2 N + 1)·q, which must stay below 2^31
        this.shoup = q < (1L << 31) / (2L * logN + 1);
        this.zetasPlain = new long[n];
        this.zetasShoup = new long[n];
        this.inverseZetasPlain = new long[n];
        this.inverseZetasShoup = new long[n];
        for (int i = 0; i < n; i++) {
            long z = modulus.power(psi, logN == 0 ? 0 : Integer.reverse(i) >>> (32 - logN));
            zetasPlain[i] = z;
            zetasShoup[i] = shoup ? (z << 32) / q : 0;
            inverseZetasPlain[i] = modulus.negate(z);
            inverseZetasShoup[i] = shoup ? (inverseZetasPlain[i] << 32) / q : 0;
        }
        this.nInversePlain = modulus.inverse(n);
        this.nInverseShoup = shoup ? (nInversePlain << 32) / q : 0;
        this.lastZetaPlain = modulus.multiply(inverseZetasPlain[1 % n], nInversePlain);
        this.lastZetaShoup = shoup ? (lastZetaPlain << 32) / q : 0;
    }

    /**
     * {@code a·w mod q} for {@code a, w < q < 2^31} with {@code wShoup = ⌊w·2^32/q⌋}: the quotient
     * estimate is off by at most one, so one branch-free correction gives a residue.
     */
    private long mulShoup(long a, long w, long wShoup) {
        long t = a * w - ((a * wShoup) >>> 32) * q - q;
        return t + ((t >> 63) & q);
    }

    /** The transform for this ring, or {@code null} when {@code q} is not prime or {@code 2N ∤ q-1}. */
    static NegacyclicNtt forRing(Modulus modulus, int n) {
        long q = modulus.value();
        if ((q - 1) % (2L * n) != 0 || !modulus.isPrime()) {
            return null;
        }
        long exponent = (q - 1) / (2L * n);
        for (long x = 2; x < q; x++) {
            long psi = modulus.power(x, exponent);
            // ψ has order exactly 2N iff ψ^N = -1 (2N is a power of two)
            if (modulus.power(psi, n) == q - 1) {
                return new NegacyclicNtt(modulus, n, psi);
            }
        }
        throw new IllegalStateException("no primitive 2N-th root of unity mod " + q);
    }

    /** In-place forward transform of {@code a[off .. off+N)}; residues in, residues out. */
    void forward(long[] a, int off) {
        if (shoup) {
            forwardShoup(a, off);
            return;
        }
        int k = 0;
        for (int len = n >> 1; len >= 1; len >>= 1) {
            for (int start = 0; start < n; start += 2 * len) {
                long zeta = zetas[++k];
                for (int j = off + start; j < off + start + len; j++) {
                    long t = modulus.multiplyMontgomery(a[j + len], zeta);
                    long u = a[j];
                    a[j + len] = modulus.subtract(u, t);
                    a[j] = modulus.add(u, t);
                }
            }
        }
    }

    /** In-place inverse transform, including the factor {@code N^{-1}}. */
    void inverse(long[] a, int off) {
        if (shoup) {
            inverseShoup(a, off);
            return;
        }
        int k = n;
        for (int len = 1; len < n; len <<= 1) {
            for (int start = 0; start < n; start += 2 * len) {
                long zeta = inverseZetas[--k];
                for (int j = off + start; j < off + start + len; j++) {
                    long u = a[j];
                    long v = a[j + len];
                    a[j] = modulus.add(u, v);
                    a[j + len] = modulus.multiplyMontgomery(modulus.subtract(u, v), zeta);
                }
            }
        }
        for (int j = off; j < off + n; j++) {
            a[j] = modulus.multiplyMontgomery(a[j], nInverseMontgomery);
        }
    }

    /**
     * Forward transform with Harvey's lazy butterflies: {@code q < 2^31} leaves so much head-room in a
     * long that no butterfly reduces. The Shoup product returns {@code [0, 2q)} uncorrected, each layer
     * widens the range by {@code 2q}, and after {@code log2 N} layers every value is below {@code (2·log2 N + 1)·q}
     * — a valid Shoup input as long as it stays below {@code 2^31}, which the constructor checks
     * ({@code (2·log2 N + 1)·q < 2^31}). One reduction pass at the end.
     */
    private void forwardShoup(long[] a, int off) {
        long twoQ = 2 * q;
        int k = 0;
        for (int len = n >> 1; len >= 1; len >>= 1) {
            for (int start = 0; start < n; start += 2 * len) {
                ++k;
                long zeta = zetasPlain[k];
                long zetaShoup = zetasShoup[k];
                for (int j = off + start; j < off + start + len; j++) {
                    long a1 = a[j + len];
                    long t = a1 * zeta - ((a1 * zetaShoup) >>> 32) * q;
                    long u = a[j];
                    a[j + len] = u - t + twoQ;
                    a[j] = u + t;
                }
            }
        }
        for (int j = off; j < off + n; j++) {
            a[j] = modulus.reduceNonNegative(a[j]);
        }
    }

    /**
     * Inverse transform, lazy: values kept in {@code [0, 2q)} with one conditional subtraction per sum.
     * The factor {@code N^{-1}} is folded into the last layer (a single twiddle), which saves a pass.
     */
    private void inverseShoup(long[] a, int off) {
        long twoQ = 2 * q;
        int k = n;
        int len = 1;
        if (n >= 8) {
            // the two innermost layers unrolled (neither is the last layer, which is folded below):
            // their one- and two-iteration loops were where the time went
            for (int j = off; j < off + n; j += 4) {
                long zeta0 = inverseZetasPlain[--k];
                long zeta0Shoup = inverseZetasShoup[k];
                long zeta1 = inverseZetasPlain[--k];
                long zeta1Shoup = inverseZetasShoup[k];
                long a0 = a[j];
                long a1 = a[j + 1];
                long a2 = a[j + 2];
                long a3 = a[j + 3];
                long s0 = a0 + a1 - twoQ;
                s0 += (s0 >> 63) & twoQ;
                long d0 = a0 - a1 + twoQ;
                d0 = d0 * zeta0 - ((d0 * zeta0Shoup) >>> 32) * q;
                long s1 = a2 + a3 - twoQ;
                s1 += (s1 >> 63) & twoQ;
                long d1 = a2 - a3 + twoQ;
                d1 = d1 * zeta1 - ((d1 * zeta1Shoup) >>> 32) * q;
                a[j] = s0;
                a[j + 1] = d0;
                a[j + 2] = s1;
                a[j + 3] = d1;
            }
            int blockStart = k;
            // second layer (len = 2): one twiddle per 4-block
            for (int j = off, b = 0; j < off + n; j += 4, b++) {
                int idx = blockStart - 1 - b;
                long zeta = inverseZetasPlain[idx];
                long zetaShoup = inverseZetasShoup[idx];
                for (int t = 0; t < 2; t++) {
                    long u = a[j + t];
                    long v = a[j + t + 2];
                    long sum = u + v - twoQ;
                    a[j + t] = sum + ((sum >> 63) & twoQ);
                    long d = u - v + twoQ;
                    a[j + t + 2] = d * zeta - ((d * zetaShoup) >>> 32) * q;
                }
            }
            k = blockStart - n / 4;
            len = 4;
        }
        for (; len < n >> 1; len <<= 1) {
            for (int start = 0; start < n; start += 2 * len) {
                --k;
                long zeta = inverseZetasPlain[k];
                long zetaShoup = inverseZetasShoup[k];
                for (int j = off + start; j < off + start + len; j++) {
                    long u = a[j];
                    long v = a[j + len];
                    long sum = u + v - twoQ;
                    a[j] = sum + ((sum >> 63) & twoQ);
                    long d = u - v + twoQ;
                    a[j + len] = d * zeta - ((d * zetaShoup) >>> 32) * q;
                }
            }
        }
        int half = n >> 1;
        for (int j = off; j < off + half; j++) {
            long u = a[j];
            long v = a[j + half];
            a[j] = mulShoup(u + v, nInversePlain, nInverseShoup);
            a[j + half] = mulShoup(u - v + twoQ, lastZetaPlain, lastZetaShoup);
        }
    }
}
