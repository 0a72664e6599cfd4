package org.latticare.lattice.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RingTest {

    /** ~60-bit prime with q ≡ 1 mod 2^14, so the NTT exists up to N = 8192. */
    static final long Q60 = 1152921504606830593L;
    static final long Q23 = Ring.DILITHIUM_PRIME;

    private final SplittableRandom random = new SplittableRandom(20261123);

    @ParameterizedTest(name = "N={0}, q={1}")
    @CsvSource({"1, 8380417", "2, 8380417", "4, 8380417", "8, 8380417", "16, 8380417", "256, 8380417",
            "1, 1152921504606830593", "256, 1152921504606830593",
            "4096, 1152921504606830593", "8, 1152921504606830593", "64, 1073479681"})
    void nttProductEqualsSchoolbookProduct(int n, long q) {
        Ring ntt = Ring.of(n, q);
        Ring school = Ring.schoolbook(n, q);
        assertThat(ntt.usesNtt()).isTrue();
        assertThat(school.usesNtt()).isFalse();
        for (int trial = 0; trial < 3; trial++) {
            long[] a = randomResidues(n, q);
            long[] b = randomResidues(n, q);
            Poly viaNtt = Poly.of(ntt, a).multiply(Poly.of(ntt, b));
            Poly viaSchoolbook = Poly.of(school, a).multiply(Poly.of(school, b));
            assertThat(viaNtt.coefficients()).isEqualTo(viaSchoolbook.coefficients());
        }
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @CsvSource({"256, 8380417", "256, 1152921504606830593", "16, 1073479681", "64, 1000001"})
    void productMatchesBigIntegerNegacyclicConvolution(int n, long q) {
        Ring ring = Ring.of(n, q);
        long[] a = randomResidues(n, q);
        long[] b = randomResidues(n, q);
        BigInteger bq = BigInteger.valueOf(q);
        BigInteger[] expected = new BigInteger[n];
        java.util.Arrays.fill(expected, BigInteger.ZERO);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BigInteger p = BigInteger.valueOf(a[i]).multiply(BigInteger.valueOf(b[j]));
                int k = i + j;
                expected[k % n] = k < n ? expected[k].add(p) : expected[k - n].subtract(p);
            }
        }
        long[] got = Poly.of(ring, a).multiply(Poly.of(ring, b)).coefficients();
        for (int i = 0; i < n; i++) {
            assertThat(got[i]).as("coefficient %d", i).isEqualTo(expected[i].mod(bq).longValueExact());
        }
    }

    @Test
    void nttIsUsedOnlyWhenTwoNDividesQMinusOne() {
        assertThat(Ring.of(256, Q23).usesNtt()).isTrue();
        assertThat(Ring.of(8192, Q23).usesNtt()).isFalse(); // 2^14 ∤ q - 1 = 2^13 · 1023
        assertThat(Ring.of(64, 1000001).usesNtt()).isFalse(); // 1000001 = 101 · 9901 is not prime
    }

    @Test
    void xToTheNIsMinusOne() {
        Ring ring = Ring.of(256, Q23);
        long[] x = new long[256];
        x[1] = 1;
        Poly power = Poly.constant(ring, 1);
        for (int i = 0; i < 256; i++) {
            power = power.multiply(Poly.of(ring, x));
        }
        assertThat(power).isEqualTo(Poly.constant(ring, -1));
    }

    @ParameterizedTest(name = "N={0}, q={1}")
    @CsvSource({"1, 8380417", "256, 8380417", "4096, 1152921504606830593", "64, 1000001"})
    void ringAxiomsHoldOnRandomElements(int n, long q) {
        Ring ring = Ring.of(n, q);
        Poly a = Poly.of(ring, randomResidues(n, q));
        Poly b = Poly.of(ring, randomResidues(n, q));
        Poly c = Poly.of(ring, randomResidues(n, q));
        Poly one = Poly.constant(ring, 1);
        assertThat(a.multiply(b)).isEqualTo(b.multiply(a));
        assertThat(a.multiply(b).multiply(c)).isEqualTo(a.multiply(b.multiply(c)));
        assertThat(a.multiply(b.add(c))).isEqualTo(a.multiply(b).add(a.multiply(c)));
        assertThat(a.multiply(one)).isEqualTo(a);
        assertThat(a.add(a.negate()).isZero()).isTrue();
        assertThat(a.subtract(b).add(b)).isEqualTo(a);
        assertThat(a.multiply(3)).isEqualTo(a.add(a).add(a));
    }

    @ParameterizedTest
    @CsvSource({"8380417", "1152921504606830593", "3", "4611686018427387847"})
    void modularMultiplicationMatchesBigInteger(long q) {
        Modulus m = Modulus.of(q);
        BigInteger bq = BigInteger.valueOf(q);
        for (int i = 0; i < 10_000; i++) {
            long a = random.nextLong(q);
            long b = random.nextLong(q);
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(bq).longValueExact();
            assertThat(m.multiply(a, b)).isEqualTo(expected);
            assertThat(m.multiplyMontgomery(a, m.toMontgomery(b))).isEqualTo(expected);
            long x = random.nextLong();
            assertThat(m.reduce(x)).isEqualTo(BigInteger.valueOf(x).mod(bq).longValueExact());
        }
        assertThat(m.reduce(Long.MIN_VALUE)).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE).mod(bq).longValueExact());
        assertThat(m.reduce(Long.MAX_VALUE)).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).mod(bq).longValueExact());
    }

    @Test
    void centredReductionLandsInHalfOpenInterval() {
        Modulus m = Modulus.of(Q23);
        long half = Q23 / 2;
        assertThat(m.centered(half)).isEqualTo(half);
        assertThat(m.centered(half + 1)).isEqualTo(half + 1 - Q23);
        assertThat(m.centered(Q23 - 1)).isEqualTo(-1);
        assertThat(m.centered(0)).isZero();
        assertThat(Poly.of(Ring.of(4, Q23), 5, -7, 3, 0).infinityNorm()).isEqualTo(7);
    }

    @Test
    void invalidModuliAndDegreesAreRejected() {
        assertThatThrownBy(() -> Modulus.of(1L << 62)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Modulus.of(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ring.of(3, Q23)).isInstanceOf(IllegalArgumentException.class);
    }

    private long[] randomResidues(int n, long q) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = random.nextLong(q);
        }
        return r;
    }
}
