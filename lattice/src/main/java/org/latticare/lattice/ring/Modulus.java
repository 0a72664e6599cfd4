package org.latticare.lattice.ring;

import java.math.BigInteger;

/**
 * Arithmetic in {@code Z_q} for an odd modulus {@code 3 <= q < 2^62}.
 *
 * <p>Residues are {@code long}s in {@code [0, q)}. Two reductions are used:
 * <ul>
 *   <li>Barrett reduction of any non-negative {@code long} (one {@link Math#multiplyHigh}), which is
 *       what makes lazy accumulation cheap: a dot product of residues can add up to
 *       {@link #lazyTerms()} raw products in a {@code long} and reduce once at the end;</li>
 *   <li>signed Montgomery reduction of a 128-bit product ({@code R = 2^64}), needed as soon as
 *       {@code q^2} no longer fits in 63 bits (the ~60-bit prime of the statistics scheme). Constants
 *       that are multiplied many times (NTT twiddle factors) are stored in Montgomery form, so a
 *       product with them costs one reduction.</li>
 * </ul>
 */
public final class Modulus {

    /** Largest supported modulus (exclusive): keeps {@code a + b} and Montgomery intermediates in range. */
    public static final long LIMIT = 1L << 62;

    private final long q;
    private final int bitLength;
    private final long barrett;        // floor((2^64 - 1) / q), positive for q >= 3
    private final long qInverse;       // q^{-1} mod 2^64
    private final long montgomeryR2;   // 2^128 mod q
    private final boolean productFitsLong; // (q-1)^2 < 2^63
    private final int lazyTerms;

    private Modulus(long q) {
        if (q < 3 || q >= LIMIT || (q & 1) == 0) {
            throw new IllegalArgumentException("modulus must be odd with 3 <= q < 2^62, got " + q);
        }
        this.q = q;
        this.bitLength = 64 - Long.numberOfLeadingZeros(q);
        this.barrett = Long.divideUnsigned(-1L, q);
        long inv = q; // correct to 3 bits for odd q; each Newton step doubles the precision
        for (int i = 0; i < 5; i++) {
            inv *= 2 - q * inv;
        }
        this.qInverse = inv;
        this.montgomeryR2 = BigInteger.ONE.shiftLeft(128).mod(BigInteger.valueOf(q)).longValueExact();
        BigInteger square = BigInteger.valueOf(q - 1).pow(2);
        BigInteger room = BigInteger.valueOf(Long.MAX_VALUE - q);
        this.productFitsLong = square.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0;
        this.lazyTerms = productFitsLong
                ? room.divide(square).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValueExact()
                : 1;
    }

    /** The modulus {@code q}; must be odd, {@code 3 <= q < 2^62}. */
    public static Modulus of(long q) {
        return new Modulus(q);
    }

    public long value() {
        return q;
    }

    /** {@code ⌈log2 q⌉} for non powers of two, i.e. the number of bits of {@code q}. */
    public int bitLength() {
        return bitLength;
    }

    /**
     * How many raw products of residues can be summed in a signed {@code long} (on top of one residue)
     * before the sum must be reduced. 1 means products do not fit and every product is reduced.
     */
    public int lazyTerms() {
        return lazyTerms;
    }

    /** Whether {@code (q-1)^2} fits in a signed long, i.e. raw products can be accumulated. */
    public boolean productFitsLong() {
        return productFitsLong;
    }

    /** {@code x mod q} in {@code [0, q)} for any {@code x}. */
    public long reduce(long x) {
        if (x >= 0) {
            return reduceNonNegative(x);
        }
        // -x-1 never overflows, and x ≡ -(r+1)
        return q - 1 - reduceNonNegative(-x - 1);
    }

    /** Barrett: the quotient estimate is at most one short, so one conditional subtraction suffices. */
    long reduceNonNegative(long x) {
        long quotient = Math.multiplyHigh(x, barrett);
        long r = x - quotient * q - q;
        return r + ((r >> 63) & q);
    }

    // branch-free: on random residues a data-dependent branch is mispredicted half the time
    public long add(long a, long b) {
        long s = a + b - q;
        return s + ((s >> 63) & q);
    }

    public long subtract(long a, long b) {
        long d = a - b;
        return d + ((d >> 63) & q);
    }

    public long negate(long a) {
        return a == 0 ? 0 : q - a;
    }

    /** {@code a·b mod q} for residues {@code a, b}. */
    public long multiply(long a, long b) {
        if (productFitsLong) {
            return reduceNonNegative(a * b);
        }
        return montgomery(montgomery(a, b), montgomeryR2);
    }

    /** {@code w·2^64 mod q}: the form in which {@link #multiplyMontgomery} expects its constant. */
    public long toMontgomery(long w) {
        return montgomery(reduce(w), montgomeryR2);
    }

    /** {@code a·w mod q} where {@code wMontgomery = toMontgomery(w)}: one reduction per product. */
    public long multiplyMontgomery(long a, long wMontgomery) {
        return montgomery(a, wMontgomery);
    }

    /**
     * Signed Montgomery reduction of {@code a·b}: returns {@code a·b·2^-64 mod q} in {@code [0, q)}.
     * With {@code m = lo(ab)·q^{-1} mod 2^64}, {@code ab - mq} has a zero low word, so the result is the
     * difference of the high words; it lies in {@code (-q, q)} because {@code ab < q·2^62}.
     */
    private long montgomery(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long m = a * b * qInverse;
        long r = hi - Math.multiplyHigh(m, q);
        return r + ((r >> 63) & q);
    }

    public long power(long base, long exponent) {
        if (exponent < 0) {
            throw new IllegalArgumentException("negative exponent");
        }
        long result = 1;
        long b = reduce(base);
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = multiply(result, b);
            }
            b = multiply(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** Multiplicative inverse; throws if {@code a} is not a unit. */
    public long inverse(long a) {
        return BigInteger.valueOf(reduce(a)).modInverse(BigInteger.valueOf(q)).longValueExact();
    }

    /** Centred representative {@code a mod± q} in {@code (-q/2, q/2]} of a residue. */
    public long centered(long a) {
        return a > (q >> 1) ? a - q : a;
    }

    /** Whether {@code q} is (probably, error below 2^-100) prime. */
    public boolean isPrime() {
        return BigInteger.valueOf(q).isProbablePrime(100);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Modulus other && other.q == q;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(q);
    }

    @Override
    public String toString() {
        return "Z_" + q;
    }
}
