package org.latticare.zkp.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.simulate.ResponseHistogram.Comparison;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * What rejection sampling must make true, stated once for every prover built on it (the interactive
 * round, the non-interactive proof): accepted responses are indistinguishable from a simulator's that
 * does not know S, and a prover whose rejection step is broken is told apart by the same test. A
 * subclass supplies the library's prover, a mutant of it that differs only in the rejection bound
 * (built from the library's own mask and {@code S c}), the library's simulator, and a simulator
 * loosened like the mutant; every sample is a {@link ResponseHistogram} against {@code S c}.
 *
 * <p>Mutants: rejection removed ({@code bound = ∞}) and the bound loosened to {@code γ − β/4}. The
 * second is loosened on both sides: every response it sends stays within {@code γ − β/4}, so a verifier
 * loosened the same way accepts it, and only zero knowledge is lost. Where the library's own bound is
 * the loosened one, its simulator is loosened too; {@link #loosenedBoundLeaksTheSignOfScEvenToASimulatorLoosenedTheSameWay}
 * shows that the test still refuses the prover then, on the wide-edged set (see
 * {@link ResponseHistogram#WIDE_EDGES} for why not on ring-id-256), while at ring-id-256 the box
 * recomputed from γ, κ, η catches it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ZeroKnowledgeContract {

    private final Map<IdentificationParameters, IdentityKeyPair> keys = new HashMap<>();
    private final Map<IdentificationParameters, ResponseHistogram> simulated = new HashMap<>();
    private final Map<IdentificationParameters, ResponseHistogram> loosened = new HashMap<>();

    /** Accepted responses of the library's prover. */
    protected abstract ResponseHistogram real(IdentityKeyPair keys, RandomSource random);

    /** Accepted responses of the library's prover with its rejection bound replaced by {@code bound}. */
    protected abstract ResponseHistogram rejectingAbove(IdentityKeyPair keys, long bound, RandomSource random);

    /** Responses of the library's simulator (or of the one its documentation describes). */
    protected abstract ResponseHistogram simulated(IdentityKeyPair keys, RandomSource random);

    /** Responses of that simulator with its box replaced by {@code [−bound, bound]}. */
    protected abstract ResponseHistogram simulatedWithin(IdentityKeyPair keys, long bound, RandomSource random);

    public static IdentificationParameters[] sets() {
        return new IdentificationParameters[] {IdentificationParameters.N256, ResponseHistogram.WIDE_EDGES};
    }

    private RandomSource random(String label, IdentificationParameters p) {
        return RandomSource.deterministic((getClass().getSimpleName() + "/" + label + "/" + p.name())
                .getBytes(StandardCharsets.UTF_8));
    }

    private IdentityKeyPair keys(IdentificationParameters p) {
        return keys.computeIfAbsent(p, set -> IdentityKeyPair.generate(set, random("keys", set)));
    }

    private ResponseHistogram simulated(IdentificationParameters p) {
        return simulated.computeIfAbsent(p, set -> simulated(keys(set), random("simulated", set)));
    }

    private static long loosenedBound(IdentificationParameters p) {
        return p.gamma() - p.beta() / 4;
    }

    private ResponseHistogram loosened(IdentificationParameters p) {
        return loosened.computeIfAbsent(p, set -> rejectingAbove(keys(set), loosenedBound(set), random("loosened", set)));
    }

    @ParameterizedTest
    @MethodSource("sets")
    public void realResponsesAreIndistinguishableFromSimulatedOnes(IdentificationParameters p) {
        Comparison comparison = real(keys(p), random("real", p)).compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("real against simulated: %s", comparison).isTrue();
        assertThat(simulated(p).pastTheBox()).as("simulated coefficients past γ − κη").isZero();
    }

    @ParameterizedTest
    @MethodSource("sets")
    public void rejectionRemovedIsDetected(IdentificationParameters p) {
        Comparison comparison = rejectingAbove(keys(p), Long.MAX_VALUE, random("no-rejection", p)).compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("%s", comparison).isFalse();
        assertThat(comparison.sameLawRefused()).as("χ² alone: %s", comparison).isTrue();
    }

    @ParameterizedTest
    @MethodSource("sets")
    public void boundLoosenedToGammaMinusAQuarterBetaIsDetected(IdentificationParameters p) {
        assertThat(loosened(p).largest()).as("a verifier loosened the same way accepts every response")
                .isLessThanOrEqualTo(loosenedBound(p));
        Comparison comparison = loosened(p).compare(simulated(p));
        assertThat(comparison.indistinguishable()).as("%s", comparison).isFalse();
        assertThat(comparison.sameLawRefused()).as("χ² alone: %s", comparison).isTrue();
    }

    @Test
    public void loosenedBoundLeaksTheSignOfScEvenToASimulatorLoosenedTheSameWay() {
        // both samples go past the box alike; what tells them apart is that the prover's coefficients
        // past the box follow the sign of S c
        IdentificationParameters p = ResponseHistogram.WIDE_EDGES;
        IdentityKeyPair k = keys(p);
        ResponseHistogram loosenedSimulator = simulatedWithin(k, loosenedBound(p), random("loosened-simulated", p));
        Comparison control = simulatedWithin(k, loosenedBound(p), random("loosened-simulated-again", p))
                .compare(loosenedSimulator);
        assertThat(control.sameLawRefused()).as("two loosened simulators: %s", control).isFalse();

        Comparison comparison = loosened(p).compare(loosenedSimulator);
        assertThat(comparison.sameLawRefused()).as("loosened prover against loosened simulator: %s", comparison).isTrue();
    }
}
