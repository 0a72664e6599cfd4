package org.latticare.lattice.trapdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;

class GadgetTrapdoorTest {

    @Test
    void shortBasisAnnihilatesThePublicMatrixAtTest() {
        assertShortBasisAnnihilates(TrapdoorParameters.TEST);
    }

    @Test
    void shortBasisAnnihilatesThePublicMatrixAtStandard() {
        assertShortBasisAnnihilates(TrapdoorParameters.STANDARD);
    }

    private static void assertShortBasisAnnihilates(TrapdoorParameters params) {
        GadgetTrapdoor trapdoor = GadgetTrapdoor.generate(params, RandomSource.deterministic(new byte[] {7}));
        PolyMatrix a = trapdoor.publicKey().matrix();
        PolyMatrix sA = trapdoor.shortBasis();
        assertThat(sA.rows()).isEqualTo(params.columns());
        assertThat(sA.cols()).isEqualTo(params.columns());
        // the paper's equation: A·R = 0 mod q, with R = S_A computed in full here
        assertThat(a.multiply(sA).isZero()).isTrue();
        // S_A is short (entries bounded by 1 + 2nN·η) while A is uniform-looking
        assertThat(sA.infinityNorm()).isLessThanOrEqualTo(1 + (long) params.trapdoorRows() * params.ring().degree() * params.eta());
        assertThat(a.infinityNorm()).isGreaterThan(params.ring().modulus().value() / 4);
        // and it is a basis of full rank, not a degenerate solution: its gadget block is I_n ⊗ S_k
        assertThat(sA.columns(params.trapdoorRows(), params.columns()).transpose()
                .columns(params.trapdoorRows(), params.columns()).transpose())
                .isEqualTo(GadgetTrapdoor.gadgetBasis(params));
        // A·[R; I] = G
        PolyMatrix rOverI = trapdoor.trapdoor().concatRows(PolyMatrix.identity(params.ring(), params.gadgetColumns()));
        assertThat(a.multiply(rOverI)).isEqualTo(GadgetTrapdoor.gadgetMatrix(params));
    }

    @Test
    void keyGenerationAtPaperSizeChecksTheAnnihilationInFactoredForm() {
        GadgetTrapdoor trapdoor = GadgetTrapdoor.generate(TrapdoorParameters.PAPER, RandomSource.deterministic(new byte[] {8}));
        assertThat(trapdoor.publicKey().a2().rows()).isEqualTo(256);
        assertThat(trapdoor.publicKey().a2().cols()).isEqualTo(256 * 23);
    }

    @Test
    void aTrapdoorThatDoesNotMatchTheMatrixIsRejected() {
        TrapdoorParameters params = TrapdoorParameters.TEST;
        GadgetTrapdoor trapdoor = GadgetTrapdoor.generate(params, RandomSource.deterministic(new byte[] {9}));
        long[] r = trapdoor.trapdoor().coefficients();
        r[5] += 1;
        PolyMatrix tampered = PolyMatrix.ofCoefficients(params.ring(), params.trapdoorRows(), params.gadgetColumns(), r);
        assertThatThrownBy(() -> GadgetTrapdoor.of(trapdoor.publicKey(), tampered))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("A·[R; I] != G");
    }

    @Test
    void gadgetDecodingRecoversTheSecretUpToItsRadiusAndFailsBeyond() {
        Gadget g = TrapdoorParameters.STANDARD.gadget();
        long q = 8380417;
        long radius = g.decodingRadius();
        RandomSource random = RandomSource.deterministic(new byte[] {10});
        for (int trial = 0; trial < 2000; trial++) {
            long s = random.nextBelow(q);
            long[] y = new long[g.length()];
            for (int j = 0; j < y.length; j++) {
                long e = random.nextBelow(2 * radius + 1) - radius;
                y[j] = Math.floorMod(s * g.entry(j) + e, q);
            }
            assertThat(g.decode(y, 0, 1)).isEqualTo(s);
        }
        // an error far beyond the radius is detected or decodes wrongly: never silently "right"
        long[] y = new long[g.length()];
        for (int j = 0; j < y.length; j++) {
            y[j] = Math.floorMod(5 * g.entry(j) + (j % 2 == 0 ? q / 3 : -q / 3), q);
        }
        long decoded;
        try {
            decoded = g.decode(y, 0, 1);
        } catch (ArithmeticException e) {
            decoded = -1;
        }
        assertThat(decoded).isNotEqualTo(5);
    }

    @Test
    void publicMatrixTimesVectorMatchesFullMatrix() {
        TrapdoorParameters params = TrapdoorParameters.TEST;
        GadgetTrapdoor trapdoor = GadgetTrapdoor.generate(params, RandomSource.deterministic(new byte[] {11}));
        PolyVector s = org.latticare.lattice.sample.UniformSampler.vector(params.ring(), params.rank(), RandomSource.deterministic(new byte[] {12}));
        assertThat(trapdoor.publicKey().times(s)).isEqualTo(trapdoor.publicKey().matrix().leftMultiply(s));
    }
}
