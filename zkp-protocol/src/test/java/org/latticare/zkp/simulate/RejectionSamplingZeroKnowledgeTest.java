package org.latticare.zkp.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.simulate.ResponseHistogram.Comparison;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentitySecretKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

/**
 * Zero knowledge of the interactive round, with power: the accepted responses of the real E3
 * ({@link LyubashevskyIdentification#respond}) against the {@link TranscriptSimulator}'s, compared by
 * {@link ResponseHistogram}, and the same comparison run on two mutants of E3 built from the library's
 * own mask and {@code S c}, which differ from it only in the rejection step: rejection removed, and the
 * bound loosened to {@code γ − β/4} (for the prover; the verifier's side of that loosening is that every
 * mutant response stays within the loosened bound). The real prover must pass, each mutant must fail.
 *
 * <p>Sizes: 400 accepted rounds at ring-id-256 (1.1·10^6 coefficients; each mutant puts 0.8 to 1.1
 * coefficients per round past the box, about 300 to 400 in all, against a χ² threshold near 80) and
 * 10 000 at the wide-edged test set (3·10^4 coefficients).
 */
class RejectionSamplingZeroKnowledgeTest {

    private static final Map<IdentificationParameters, Integer> ROUNDS = Map.of(IdentificationParameters.N256, 400,
            ResponseHistogram.WIDE_EDGES, 10_000);
    private static final Map<IdentificationParameters, IdentityKeyPair> KEYS = new HashMap<>();
    private static final Map<IdentificationParameters, ResponseHistogram> SIMULATED = new HashMap<>();

    /** E3 with the rejection step as the variable part. */
    @FunctionalInterface
    private interface Responder {
        Optional<PolyVector> respond(IdentitySecretKey secret, Mask mask, PolyVector c);
    }

    private static final Responder REAL = LyubashevskyIdentification::respond;

    /** The library's {@code z = y + S c}, withheld above {@code bound} instead of above γ − β. */
    private static Responder rejectingAbove(long bound) {
        return (secret, mask, c) -> {
            PolyVector z = mask.y().add(secret.s().multiply(c));
            return z.infinityNorm() <= bound ? Optional.of(z) : Optional.empty();
        };
    }

    private static final Responder REJECTION_REMOVED = rejectingAbove(Long.MAX_VALUE);

    static IdentificationParameters[] sets() {
        return new IdentificationParameters[] {IdentificationParameters.N256, ResponseHistogram.WIDE_EDGES};
    }

    private static RandomSource random(String label, IdentificationParameters p) {
        return RandomSource.deterministic((label + "/" + p.name()).getBytes(StandardCharsets.UTF_8));
    }

    private static IdentityKeyPair keys(IdentificationParameters p) {
        return KEYS.computeIfAbsent(p, set -> IdentityKeyPair.generate(set, random("zk-power-keys", set)));
    }

    private static PolyVector challenge(IdentificationParameters p, RandomSource random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return LyubashevskyIdentification.challenge(p, seed);
    }

    /** Accepted responses of {@code responder}, each with the {@code S c} it answered. */
    private static ResponseHistogram responses(IdentificationParameters p, Responder responder, String label) {
        IdentityKeyPair k = keys(p);
        RandomSource random = random(label, p);
        ResponseHistogram h = new ResponseHistogram(p);
        for (int accepted = 0; accepted < ROUNDS.get(p); ) {
            Mask mask = LyubashevskyIdentification.commit(k.publicKey(), random);
            PolyVector c = challenge(p, random);
            Optional<PolyVector> z = responder.respond(k.secretKey(), mask, c);
            if (z.isPresent()) {
                h.add(z.get(), k.secretKey().s().multiply(c));
                accepted++;
            }
        }
        return h;
    }

    /** The library simulator's responses, paired with the {@code S c} of their challenges (which they ignore). */
    private static ResponseHistogram simulated(IdentificationParameters p) {
        return SIMULATED.computeIfAbsent(p, set -> {
            IdentityKeyPair k = keys(set);
            RandomSource random = random("zk-power-simulated", set);
            ResponseHistogram h = new ResponseHistogram(set);
            for (int i = 0; i < ROUNDS.get(set); i++) {
                TranscriptSimulator.Transcript t = TranscriptSimulator.simulate(k.publicKey(), random);
                h.add(t.z(), k.secretKey().s().multiply(t.c()));
            }
            return h;
        });
    }

    /** What a simulator loosened like the mutant would answer: z uniform on {@code [−bound, bound]}. */
    private static ResponseHistogram simulatedWithin(IdentificationParameters p, long bound, String label) {
        IdentityKeyPair k = keys(p);
        RandomSource random = random(label, p);
        BoundedUniform uniform = new BoundedUniform(bound);
        ResponseHistogram h = new ResponseHistogram(p);
        for (int i = 0; i < ROUNDS.get(p); i++) {
            PolyVector z = PolyVector.ofCoefficients(p.ring(), uniform.samples(p.witnessLength() * p.degree(), random));
            h.add(z, k.secretKey().s().multiply(challenge(p, random)));
        }
        return h;
    }

    private static long loosenedBound(IdentificationParameters p) {
        return p.gamma() - p.beta() / 4;
    }

    @ParameterizedTest
    @MethodSource("sets")
    void realResponsesAreIndistinguishableFromSimulatedOnes(IdentificationParameters p) {
        assertThat(simulated(p).pastTheBox()).as("simulated coefficients past γ − κη").isZero();
        Comparison comparison = responses(p, REAL, "zk-power-real").compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("real against simulated: %s", comparison).isTrue();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void rejectionRemovedIsDetected(IdentificationParameters p) {
        Comparison comparison = responses(p, REJECTION_REMOVED, "zk-power-no-rejection").compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("%s", comparison).isFalse();
        assertThat(comparison.sameLawRefused()).as("χ² alone: %s", comparison).isTrue();
    }

    @ParameterizedTest
    @MethodSource("sets")
    void boundLoosenedToGammaMinusAQuarterBetaIsDetected(IdentificationParameters p) {
        ResponseHistogram mutant = responses(p, rejectingAbove(loosenedBound(p)), "zk-power-loosened");
        assertThat(mutant.largest()).as("a verifier loosened the same way accepts every response")
                .isLessThanOrEqualTo(loosenedBound(p));
        Comparison comparison = mutant.compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("%s", comparison).isFalse();
        assertThat(comparison.sameLawRefused()).as("χ² alone: %s", comparison).isTrue();
    }

    @Test
    void loosenedBoundLeaksTheSignOfScEvenToASimulatorLoosenedTheSameWay() {
        // where the library's bound itself is loosened, its simulator goes past the box as the prover does:
        // what still tells them apart is that the prover's coefficients past the box follow the sign of S c
        IdentificationParameters p = ResponseHistogram.WIDE_EDGES;
        ResponseHistogram loosenedSimulator = simulatedWithin(p, loosenedBound(p), "zk-power-loosened-simulated");
        Comparison control = simulatedWithin(p, loosenedBound(p), "zk-power-loosened-simulated-again")
                .compare(loosenedSimulator);
        assertThat(control.sameLawRefused()).as("two loosened simulators: %s", control).isFalse();

        Comparison comparison = responses(p, rejectingAbove(loosenedBound(p)), "zk-power-loosened")
                .compare(loosenedSimulator);
        assertThat(comparison.sameLawRefused()).as("loosened prover against loosened simulator: %s", comparison).isTrue();
    }
}
