package org.latticare.zkp.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.simulate.TranscriptSimulator.Transcript;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Check;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

/**
 * Zero knowledge, statistically: simulated and real accepted responses must be indistinguishable.
 * Significance level α = 0.001 for every test below; the inputs come from fixed seeds, so each
 * outcome is reproducible (a fresh seed would fail a correct implementation with probability 0.001).
 */
class TranscriptSimulatorTest {

    private static final IdentificationParameters P = IdentificationParameters.N256;
    private static final int TRANSCRIPTS = 60;
    private static final int BINS = 64;
    /** Two-sided standard-normal quantile for α = 0.001. */
    private static final double Z_CRITICAL = 3.2905;
    private static IdentityKeyPair keys;

    @BeforeAll
    static void enrol() {
        keys = IdentityKeyPair.generate(P, random("zk-keys"));
    }

    private static RandomSource random(String label) {
        return RandomSource.deterministic(label.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Transcript> real(IdentityKeyPair k, int count, boolean rejectionSampling, RandomSource random) {
        List<Transcript> out = new ArrayList<>();
        IdentificationParameters p = k.publicKey().parameters();
        while (out.size() < count) {
            Mask mask = LyubashevskyIdentification.commit(k.publicKey(), random);
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            PolyVector c = LyubashevskyIdentification.challenge(p, seed);
            if (rejectionSampling) {
                Optional<PolyVector> z = LyubashevskyIdentification.respond(k.secretKey(), mask, c);
                z.ifPresent(v -> out.add(new Transcript(mask.u(), c, v)));
            } else {
                out.add(new Transcript(mask.u(), c, mask.y().add(k.secretKey().s().multiply(c))));
            }
        }
        return out;
    }

    /** Wilson–Hilferty approximation of the (1 − α) quantile of χ² with {@code df} degrees of freedom. */
    private static double chiSquareCritical(int df) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + Z_CRITICAL_ONE_SIDED * Math.sqrt(a), 3);
    }

    /** One-sided standard-normal quantile for α = 0.001. */
    private static final double Z_CRITICAL_ONE_SIDED = 3.0902;

    private static long[] histogram(List<Transcript> transcripts) {
        long bound = P.responseBound();
        long width = 2 * bound + 1;
        long[] h = new long[BINS];
        for (Transcript t : transcripts) {
            for (long x : t.z().centeredCoefficients()) {
                assertThat(Math.abs(x)).isLessThanOrEqualTo(bound);
                h[(int) ((x + bound) * BINS / width)]++;
            }
        }
        return h;
    }

    @Test
    void simulatedTranscriptsPassTheVerifierCheck() {
        RandomSource random = random("simulated-check");
        for (int i = 0; i < 5; i++) {
            Transcript t = TranscriptSimulator.simulate(keys.publicKey(), random);
            assertThat(LyubashevskyIdentification.check(keys.publicKey(), t.u(), t.c(), t.z())).isEqualTo(Check.ACCEPTED);
        }
    }

    @Test
    void realAndSimulatedResponsesHaveTheSameCoefficientHistogram() {
        long[] realHistogram = histogram(real(keys, TRANSCRIPTS, true, random("real-z")));
        long[] simulatedHistogram = histogram(simulate(TRANSCRIPTS, random("simulated-z")));
        // two-sample χ² homogeneity test with equal sample sizes: Σ (R−S)²/(R+S), BINS − 1 degrees of freedom
        double chi2 = 0;
        for (int i = 0; i < BINS; i++) {
            double d = realHistogram[i] - simulatedHistogram[i];
            chi2 += d * d / (realHistogram[i] + simulatedHistogram[i]);
        }
        assertThat(chi2).as("χ² over %d bins, critical value at α = 0.001", BINS).isLessThan(chiSquareCritical(BINS - 1));
    }

    /**
     * The statistic that would see S: {@code Σ z_j (Sc)_j}, normalised. Independent of S (as the
     * simulator's z is) it is approximately standard normal.
     */
    private static double correlationWithSecret(IdentityKeyPair k, List<Transcript> transcripts) {
        double sum = 0;
        double variance = 0;
        for (Transcript t : transcripts) {
            long[] z = t.z().centeredCoefficients();
            long[] sc = k.secretKey().s().multiply(t.c()).centeredCoefficients();
            for (int j = 0; j < z.length; j++) {
                sum += (double) z[j] * sc[j];
                variance += (double) z[j] * z[j] * sc[j] * sc[j];
            }
        }
        return sum / Math.sqrt(variance);
    }

    @Test
    void acceptedResponsesCarryNoCorrelationWithTheSecret() {
        double statistic = correlationWithSecret(keys, real(keys, TRANSCRIPTS, true, random("real-correlation")));
        assertThat(Math.abs(statistic)).isLessThan(Z_CRITICAL);
    }

    @Test
    void withoutRejectionSamplingTheSameStatisticSeesTheSecret() {
        // negative control on a deliberately small mask (γ = 1024 against β = 196) so the leak is large
        // enough to show in 100 transcripts; it shows the test above can fail
        IdentificationParameters leaky = new IdentificationParameters(99, "test-only-small-mask", 256, P.q(), 2, 2, 4,
                1024, 49, 1, "none: test only", "test only");
        IdentityKeyPair k = IdentityKeyPair.generate(leaky, random("leaky-keys"));
        double statistic = correlationWithSecret(k, real(k, 100, false, random("leaky-z")));
        assertThat(statistic).isGreaterThan(Z_CRITICAL);
    }

    private static List<Transcript> simulate(int count, RandomSource random) {
        List<Transcript> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(TranscriptSimulator.simulate(keys.publicKey(), random));
        }
        return out;
    }
}
