package org.latticare.zkp.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

/**
 * The rejection bound is what the parameters say, worked out here from the published values and not
 * from the library's derived getters: β = κη, the bound γ − β, the expected attempts
 * {@code ((2γ+1)/(2(γ−β)+1))^{mN}}, and the acceptance rate a real prover shows.
 */
class IdentificationParametersTest {

    /**
     * The values a parameter set is published with, typed in: ring-id-256 is ML-DSA-65 (FIPS 204, Table 1:
     * q = 8 380 417, (k, l) = (6, 5), η = 4, τ = 49, γ1 = 2^19), ring-id-1 the same dimensions unrolled
     * (CRYPTO.md section 3) with a challenge vector of length 128 and weight 31.
     *
     * @param trials prover attempts for the measured acceptance rate
     */
    record Published(IdentificationParameters set, long q, int degree, int rows, int columns, int eta, int kappa,
            long gamma, int challengeLength, int trials) {

        long beta() {
            return (long) kappa * eta;
        }

        int responseCoefficients() {
            return (rows + columns) * degree;
        }

        /** A coefficient of {@code z = y + S c}, y uniform on [−γ, γ], stays within {@code bound} with this probability. */
        double survival(long bound) {
            return (2.0 * bound + 1) / (2.0 * gamma + 1);
        }

        double acceptance(long bound) {
            return Math.pow(survival(bound), responseCoefficients());
        }

        @Override
        public String toString() {
            return set.name();
        }
    }

    /** Two-sided normal quantile for a false alarm below 1.2·10^-7 on a measured rate. */
    private static final double RATE_TOLERANCE_SIGMAS = 5.3;

    static Published[] published() {
        return new Published[] {
            new Published(IdentificationParameters.N256, 8_380_417, 256, 6, 5, 4, 49, 1 << 19, 1, 3000),
            new Published(IdentificationParameters.N1, 8_380_417, 1, 1536, 1280, 4, 31, 1 << 19, 128, 1000)};
    }

    @ParameterizedTest
    @MethodSource("published")
    void primaryValuesAreThePublishedOnes(Published x) {
        IdentificationParameters p = x.set();
        assertThat(new long[] {p.q(), p.degree(), p.rows(), p.columns(), p.eta(), p.weight(), p.gamma(), p.challengeLength()})
                .containsExactly(x.q(), x.degree(), x.rows(), x.columns(), x.eta(), x.kappa(), x.gamma(), x.challengeLength());
    }

    @ParameterizedTest
    @MethodSource("published")
    void rejectionBoundIsGammaMinusKappaEta(Published x) {
        assertThat(x.set().beta()).isEqualTo(x.beta());
        assertThat(x.set().responseBound()).isEqualTo(x.gamma() - x.beta());
        if (x.set() == IdentificationParameters.N256) {
            // FIPS 204, Table 1: β = τη = 196 for ML-DSA-65
            assertThat(x.set().responseBound()).isEqualTo((1 << 19) - 196);
        }
    }

    /**
     * β is the largest {@code ‖S c‖∞} there is: no more, because each coefficient sums κ terms of size at
     * most η; no less, because a secret with every coefficient η and a challenge of κ leading +1s reaches it.
     */
    @ParameterizedTest
    @MethodSource("published")
    void betaIsReachedByTheMostExtremeSecret(Published x) {
        IdentificationParameters p = x.set();
        long[] extreme = new long[(x.rows() + x.columns()) * x.challengeLength() * x.degree()];
        Arrays.fill(extreme, x.eta());
        PolyMatrix s = PolyMatrix.ofCoefficients(p.ring(), x.rows() + x.columns(), x.challengeLength(), extreme);
        long[] c = new long[x.challengeLength() * x.degree()];
        Arrays.fill(c, 0, x.kappa(), 1);
        assertThat(s.multiply(PolyVector.ofCoefficients(p.ring(), c)).infinityNorm()).isEqualTo(x.beta()).isEqualTo(p.beta());
    }

    @ParameterizedTest
    @MethodSource("published")
    void expectedAttemptsFollowFromEachCoefficientsSurvival(Published x) {
        long bound = x.gamma() - x.beta();
        double attempts = Math.exp(-x.responseCoefficients() * Math.log(x.survival(bound)));
        assertThat(x.set().expectedAttempts()).isCloseTo(attempts, within(1e-9 * attempts));

        long gamma2 = (x.q() - 1) / 32;
        double lowBitsSurvival = (2.0 * (gamma2 - x.beta()) - 1) / (2.0 * gamma2);
        double proofAttempts = Math.pow(x.survival(bound), -(double) x.columns() * x.degree())
                * Math.pow(lowBitsSurvival, -(double) x.rows() * x.degree());
        assertThat(x.set().expectedProofAttempts()).isCloseTo(proofAttempts, within(1e-9 * proofAttempts));
        if (x.set() == IdentificationParameters.N256) {
            // the Dilithium3 / ML-DSA-65 specification's expected repetitions, about 5.1
            assertThat(proofAttempts).isCloseTo(5.1, within(0.05));
        }
    }

    /**
     * The real E3 ({@link LyubashevskyIdentification#respond}) on fresh masks and challenges accepts at
     * the rate {@code ((2(γ−κη)+1)/(2γ+1))^{mN}}, within 5.3 standard errors; a bound loosened to
     * {@code γ − κη/4} or no rejection at all would lie well outside.
     */
    @ParameterizedTest
    @MethodSource("published")
    void measuredAcceptanceRateIsTheOneTheBoundPredicts(Published x) {
        IdentificationParameters p = x.set();
        RandomSource random = RandomSource.deterministic(("acceptance-" + p.name()).getBytes(StandardCharsets.UTF_8));
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        // E3 reads only y: u = A y (2·10^6 products a try at ring-id-1) is left out
        PolyVector unusedCommitment = PolyVector.zero(p.ring(), p.rows());
        int accepted = 0;
        for (int i = 0; i < x.trials(); i++) {
            Mask mask = new Mask(LyubashevskyIdentification.mask(p, p.witnessLength(), random), unusedCommitment);
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            PolyVector c = LyubashevskyIdentification.challenge(p, seed);
            accepted += LyubashevskyIdentification.respond(keys.secretKey(), mask, c).isPresent() ? 1 : 0;
        }
        double expected = x.acceptance(x.gamma() - x.beta());
        Offset<Double> tolerance = within(RATE_TOLERANCE_SIGMAS * Math.sqrt(expected * (1 - expected) / x.trials()));
        assertThat((double) accepted / x.trials()).as("acceptance rate").isCloseTo(expected, tolerance);
        assertThat(x.acceptance(x.gamma() - x.beta() / 4)).as("a loosened bound's rate")
                .isNotCloseTo(expected, within(2 * tolerance.value));
        assertThat(1.0).as("no rejection's rate").isNotCloseTo(expected, within(2 * tolerance.value));
    }
}
