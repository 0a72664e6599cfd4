package org.latticare.zkp.nizk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.nizk.NonInteractiveProof.Attempt;
import org.latticare.zkp.nizk.NonInteractiveProof.Proof;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.simulate.ResponseHistogram;
import org.latticare.zkp.simulate.ZeroKnowledgeContract;

/**
 * The {@link ZeroKnowledgeContract} for the non-interactive proof, on {@code z1} against {@code S1 c}: the
 * prover is {@link NonInteractiveProof#prove}; the mutant keeps the prover's own attempts
 * ({@link NonInteractiveProof#attempt}: mask, {@code w}, {@code c̃}, {@code z1 = y1 + S1 c}) by another
 * response bound, and keeps the low-bits test (it is what makes a proof verify, and it looks at public
 * values only); the simulator is the one the class Javadoc describes: {@code z1} uniform on the box, a
 * random challenge, kept when the low bits of {@code A z1 − T c} pass the same test.
 *
 * <p>Every proof is made under a fresh context, as the single-use nonce of a login gives it (CRYPTO.md
 * section 6, "Freshness"). The random-oracle simulator needs the hash input to be new: at the
 * wide-edged set, {@code w1 = HighBits(A y1)} is one coefficient with 16 values, so under one context
 * the challenge would be a fixed function of the mask. 10 000 proofs show that dependence, with
 * χ² ≈ 56 on 15 degrees of freedom for the honest prover.
 *
 * <p>Sizes: 600 proofs at ring-id-256 (7.7·10^5 coefficients; a mutant puts 0.36 to 0.48 coefficients a
 * proof past the box, 200 to 300 in all, against a χ² threshold near 80), 10 000 at the wide-edged set.
 */
class NonInteractiveProofZeroKnowledgeTest extends ZeroKnowledgeContract {

    private static final byte[] CONTEXT = "IdentityVerified/zero-knowledge".getBytes(StandardCharsets.UTF_8);
    private static final Map<IdentificationParameters, Integer> PROOFS = Map.of(IdentificationParameters.N256, 600,
            ResponseHistogram.WIDE_EDGES, 10_000);
    /** Two-sided normal quantile for a false alarm below 1.2·10^-7 on a measured rate. */
    private static final double RATE_TOLERANCE_SIGMAS = 5.3;

    @FunctionalInterface
    private interface Prover {
        Proof prove(IdentityKeyPair keys, byte[] context, RandomSource random);
    }

    @Override
    protected ResponseHistogram real(IdentityKeyPair keys, RandomSource random) {
        return proofs(keys, (k, context, r) -> NonInteractiveProof.prove(k, context, r).proof(), random);
    }

    @Override
    protected ResponseHistogram rejectingAbove(IdentityKeyPair keys, long bound, RandomSource random) {
        return proofs(keys, keeping(a -> a.lowBitsSafe() && a.candidate().z1().infinityNorm() <= bound), random);
    }

    @Override
    protected ResponseHistogram simulated(IdentityKeyPair keys, RandomSource random) {
        return simulatedWithin(keys, keys.publicKey().parameters().responseBound(), random);
    }

    @Override
    protected ResponseHistogram simulatedWithin(IdentityKeyPair keys, long bound, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        Decomposition decomposition = Decomposition.of(p);
        BoundedUniform uniform = new BoundedUniform(bound);
        ResponseHistogram h = new ResponseHistogram(p);
        for (int kept = 0; kept < PROOFS.get(p); ) {
            PolyVector z1 = PolyVector.ofCoefficients(p.ring(), uniform.samples(p.columns() * p.degree(), random));
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            PolyVector c = LyubashevskyIdentification.challenge(p, seed);
            PolyVector w = keys.publicKey().a().multiply(z1).subtract(keys.publicKey().t().multiply(c));
            if (decomposition.lowBitsNorm(w) < decomposition.gamma2() - p.beta()) {
                h.add(z1, s1c(keys, c));
                kept++;
            }
        }
        return h;
    }

    /** The library's attempts, the first that {@code keeps} accepts. */
    private static Prover keeping(Predicate<Attempt> keeps) {
        return (keys, context, random) -> {
            IdentificationParameters p = keys.publicKey().parameters();
            Decomposition decomposition = Decomposition.of(p);
            byte[] tr = keys.publicKey().digest();
            while (true) {
                Attempt attempt = NonInteractiveProof.attempt(keys, decomposition, tr, context,
                        LyubashevskyIdentification.mask(p, p.columns(), random));
                if (keeps.test(attempt)) {
                    return attempt.candidate();
                }
            }
        };
    }

    /**
     * The {@code z1} of proofs by {@code prover}, each with its {@code S1 c}. Every proof, honest or mutant,
     * satisfies the verifier's hash equation: a mutant differs only in the norm of {@code z1}.
     */
    private static ResponseHistogram proofs(IdentityKeyPair keys, Prover prover, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        ResponseHistogram h = new ResponseHistogram(p);
        for (int i = 0; i < PROOFS.get(p); i++) {
            byte[] context = new byte[16];
            random.nextBytes(context);
            Proof proof = prover.prove(keys, context, random);
            assertThat(NonInteractiveProof.recomputedChallengeSeed(keys.publicKey(), context, proof))
                    .isEqualTo(proof.challengeSeed());
            h.add(proof.z1(), s1c(keys, proof.challenge()));
        }
        return h;
    }

    private static PolyVector s1c(IdentityKeyPair keys, PolyVector c) {
        return keys.secretKey().s().multiply(c).slice(0, keys.publicKey().parameters().columns());
    }

    /**
     * Each test of an attempt survives at the rate its bound predicts, worked out here from q, γ, κ, η:
     * {@code ((2(γ−κη)+1)/(2γ+1))^{lN}} for {@code ‖z1‖∞ ≤ γ − κη} and {@code ((2(γ2−κη)−1)/(2γ2))^{kN}},
     * {@code γ2 = (q−1)/32}, for the low bits (which takes {@code A y1} as uniform, as ML-DSA's estimate does).
     */
    @Test
    void attemptSurvivalRatesAreTheOnesTheBoundsPredict() {
        IdentificationParameters p = IdentificationParameters.N256;
        long beta = 49L * 4;
        long gamma = 1L << 19;
        long gamma2 = (8_380_417L - 1) / 32;
        double responseRate = Math.pow((2.0 * (gamma - beta) + 1) / (2.0 * gamma + 1), 5 * 256);
        double lowBitsRate = Math.pow((2.0 * (gamma2 - beta) - 1) / (2.0 * gamma2), 6 * 256);
        double loosenedResponseRate = Math.pow((2.0 * (gamma - beta / 4) + 1) / (2.0 * gamma + 1), 5 * 256);

        RandomSource random = RandomSource.deterministic("nizk-survival".getBytes(StandardCharsets.UTF_8));
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        Decomposition decomposition = Decomposition.of(p);
        byte[] tr = keys.publicKey().digest();
        int attempts = 2000;
        int responseShort = 0;
        int lowBitsSafe = 0;
        for (int i = 0; i < attempts; i++) {
            Attempt a = NonInteractiveProof.attempt(keys, decomposition, tr, CONTEXT,
                    LyubashevskyIdentification.mask(p, p.columns(), random));
            responseShort += a.responseShort() ? 1 : 0;
            lowBitsSafe += a.lowBitsSafe() ? 1 : 0;
        }
        Offset<Double> responseTolerance = rateTolerance(responseRate, attempts);
        assertThat((double) responseShort / attempts).as("‖z1‖∞ ≤ γ − κη").isCloseTo(responseRate, responseTolerance);
        assertThat((double) lowBitsSafe / attempts).as("low bits").isCloseTo(lowBitsRate, rateTolerance(lowBitsRate, attempts));
        assertThat(loosenedResponseRate).as("the tolerance tells a loosened bound apart")
                .isNotCloseTo(responseRate, Offset.offset(2 * responseTolerance.value));
    }

    private static Offset<Double> rateTolerance(double rate, int trials) {
        return Offset.offset(RATE_TOLERANCE_SIGMAS * Math.sqrt(rate * (1 - rate) / trials));
    }
}
