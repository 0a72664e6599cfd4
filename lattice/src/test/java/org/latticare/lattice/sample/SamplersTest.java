package org.latticare.lattice.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.Ring;

class SamplersTest {

    private static final int SAMPLES = 200_000;

    @Test
    void boundedUniformCoversExactlyMinusGammaToGamma() {
        RandomSource random = RandomSource.deterministic(new byte[] {1});
        long[] counts = new long[7];
        for (int i = 0; i < SAMPLES; i++) {
            long x = new BoundedUniform(3).sample(random);
            assertThat(x).isBetween(-3L, 3L);
            counts[(int) x + 3]++;
        }
        for (long c : counts) {
            assertThat((double) c).isCloseTo(SAMPLES / 7.0, org.assertj.core.data.Offset.offset(SAMPLES * 0.01));
        }
    }

    @Test
    void centredBinomialHasItsVarianceAndBound() {
        assertMoments(new CenteredBinomial(4), RandomSource.deterministic(new byte[] {2}));
    }

    @Test
    void discreteGaussianHasItsVarianceAndIsSymmetric() {
        DiscreteGaussian g = new DiscreteGaussian(3.2);
        assertMoments(g, RandomSource.deterministic(new byte[] {3}));
        assertThat(g.bound()).isEqualTo(32);
    }

    @Test
    void boundedUniformVarianceMatchesFormula() {
        assertMoments(new BoundedUniform(1000), RandomSource.deterministic(new byte[] {4}));
    }

    private static void assertMoments(ShortDistribution d, RandomSource random) {
        long[] xs = d.samples(SAMPLES, random);
        double mean = Arrays.stream(xs).average().orElseThrow();
        double variance = Arrays.stream(xs).mapToDouble(x -> (x - mean) * (x - mean)).sum() / (SAMPLES - 1);
        assertThat(Arrays.stream(xs).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(d.bound());
        assertThat(mean).isCloseTo(0.0, org.assertj.core.data.Offset.offset(5 * Math.sqrt(d.variance() / SAMPLES)));
        assertThat(variance / d.variance()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void expansionIsDeterministicAndSeparatesSeedsAndShapes() {
        Ring ring = Ring.of(256, Ring.DILITHIUM_PRIME);
        byte[] seed = new byte[32];
        PolyMatrix a = UniformSampler.expand(ring, 2, 3, seed);
        assertThat(UniformSampler.expand(ring, 2, 3, seed)).isEqualTo(a);
        seed[0] = 1;
        assertThat(UniformSampler.expand(ring, 2, 3, seed)).isNotEqualTo(a);
        assertThat(UniformSampler.expand(ring, 3, 2, new byte[32]).get(0, 0)).isNotEqualTo(a.get(0, 0));
        assertThatThrownBy(() -> UniformSampler.expand(ring, 1, 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformResiduesStayBelowQAndFillTheRange() {
        Ring ring = Ring.of(1, 8380417);
        long[] r = UniformSampler.residues(ring.modulus(), SAMPLES, RandomSource.deterministic(new byte[] {5}));
        assertThat(Arrays.stream(r).max().orElseThrow()).isLessThan(8380417L).isGreaterThan(8380417L * 99 / 100);
        assertThat(Arrays.stream(r).min().orElseThrow()).isGreaterThanOrEqualTo(0L).isLessThan(8380417L / 100);
    }

    @Test
    void sampleInBallHasExactWeightAndIsDeterministic() {
        byte[] seed = "challenge".getBytes();
        long[] c = SampleInBall.ternary(256, 49, seed);
        assertThat(Arrays.stream(c).filter(x -> x != 0).count()).isEqualTo(49);
        assertThat(Arrays.stream(c).allMatch(x -> x >= -1 && x <= 1)).isTrue();
        assertThat(SampleInBall.ternary(256, 49, seed)).isEqualTo(c);
        assertThat(SampleInBall.ternary(256, 49, "other".getBytes())).isNotEqualTo(c);
        long[] small = SampleInBall.ternary(40, 40, seed);
        assertThat(Arrays.stream(small).allMatch(x -> x == 1 || x == -1)).isTrue();
    }

    @Test
    void deterministicSourceRepeatsAndSecureSourceDoesNot() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        RandomSource.deterministic(new byte[] {9}).nextBytes(a);
        RandomSource.deterministic(new byte[] {9}).nextBytes(b);
        assertThat(a).isEqualTo(b);
        RandomSource.secure().nextBytes(a);
        RandomSource.secure().nextBytes(b);
        assertThat(a).isNotEqualTo(b);
    }
}
