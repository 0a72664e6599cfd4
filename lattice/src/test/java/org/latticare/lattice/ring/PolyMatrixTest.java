package org.latticare.lattice.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

class PolyMatrixTest {

    private final RandomSource random = RandomSource.deterministic("PolyMatrixTest".getBytes());

    @ParameterizedTest(name = "N={0}, q={1}")
    @CsvSource({"1, 8380417", "256, 8380417", "16, 1152921504606830593", "32, 1073479681", "8, 1000001"})
    void productsAgreeWithEntryByEntryDefinition(int n, long q) {
        Ring ring = Ring.of(n, q);
        PolyMatrix a = UniformSampler.matrix(ring, 3, 5, random);
        PolyMatrix b = UniformSampler.matrix(ring, 5, 2, random);
        PolyVector v = UniformSampler.vector(ring, 5, random);
        PolyVector w = UniformSampler.vector(ring, 3, random);

        PolyVector av = a.multiply(v);
        for (int i = 0; i < 3; i++) {
            Poly expected = Poly.zero(ring);
            for (int j = 0; j < 5; j++) {
                expected = expected.add(a.get(i, j).multiply(v.get(j)));
            }
            assertThat(av.get(i)).isEqualTo(expected);
            assertThat(a.row(i).dot(v)).isEqualTo(expected);
        }
        assertThat(a.leftMultiply(w)).isEqualTo(a.transpose().multiply(w));
        assertThat(a.multiply(b).multiply(PolyVector.of(Poly.constant(ring, 1), Poly.zero(ring))))
                .isEqualTo(a.multiply(b.column(0)));
        Poly c = UniformSampler.poly(ring, random);
        assertThat(v.multiply(c).get(2)).isEqualTo(v.get(2).multiply(c));
    }

    /** q ≈ 2^30 leaves room for only 8 raw products: a length-1000 dot product must reduce mid-way. */
    @Test
    void lazyReductionIsExactWhenTheBudgetIsExhausted() {
        long q = 1073479681L; // prime, 30 bits, ≡ 1 mod 64
        Ring ring = Ring.of(1, q);
        assertThat(ring.accumulationBudget()).isLessThan(1000);
        PolyVector a = UniformSampler.vector(ring, 1000, random);
        PolyVector b = UniformSampler.vector(ring, 1000, random);
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < 1000; i++) {
            sum = sum.add(BigInteger.valueOf(a.get(i).coefficient(0)).multiply(BigInteger.valueOf(b.get(i).coefficient(0))));
        }
        assertThat(a.dot(b).coefficient(0)).isEqualTo(sum.mod(BigInteger.valueOf(q)).longValueExact());
    }

    @Test
    void concatenationAndSlicingAreInverse() {
        Ring ring = Ring.of(4, 8380417);
        PolyMatrix left = UniformSampler.matrix(ring, 2, 3, random);
        PolyMatrix right = UniformSampler.matrix(ring, 2, 4, random);
        PolyMatrix both = left.concatColumns(right);
        assertThat(both.columns(0, 3)).isEqualTo(left);
        assertThat(both.columns(3, 7)).isEqualTo(right);
        assertThat(left.concatRows(left).rows()).isEqualTo(4);
        PolyVector v = UniformSampler.vector(ring, 5, random);
        assertThat(v.slice(0, 2).concat(v.slice(2, 5))).isEqualTo(v);
        assertThat(PolyMatrix.identity(ring, 3).multiply(v.slice(0, 3))).isEqualTo(v.slice(0, 3));
    }

    @Test
    void shapeMismatchIsRejected() {
        Ring ring = Ring.of(1, 8380417);
        PolyMatrix a = PolyMatrix.zero(ring, 2, 3);
        assertThatThrownBy(() -> a.multiply(PolyVector.zero(ring, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.multiply(PolyVector.zero(Ring.of(1, 7), 3))).isInstanceOf(IllegalArgumentException.class);
    }
}
