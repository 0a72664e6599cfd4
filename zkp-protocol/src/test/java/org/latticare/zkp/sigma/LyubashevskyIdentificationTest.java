package org.latticare.zkp.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.security.CoreSvpEstimate;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Check;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

class LyubashevskyIdentificationTest {

    static IdentificationParameters[] sets() {
        return new IdentificationParameters[] {IdentificationParameters.N1, IdentificationParameters.N256};
    }

    @ParameterizedTest
    @MethodSource("sets")
    void challengeSpaceIsAtLeast2To128AndSecurityIsStated(IdentificationParameters p) {
        assertThat(p.challengeSpaceBits()).isGreaterThanOrEqualTo(128.0);
        assertThat(p.claimedSecurity()).isNotBlank();
        assertThat(p.source()).isNotBlank();
        assertThat(p.expectedAttempts()).isBetween(1.0, 4.0);
    }

    @org.junit.jupiter.api.Test
    void theKeyRecoveryEstimateBehindBothSetsIsAtLeastLevel3() {
        // secret and error uniform on [-4, 4]: σ = sqrt(η(η+1)/3)
        double sigma = Math.sqrt(4 * 5 / 3.0);
        CoreSvpEstimate.Result r = CoreSvpEstimate.primal(1280, IdentificationParameters.N256.q(), sigma, 1536);
        assertThat(r.classicalBits()).isGreaterThanOrEqualTo(175.0);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void honestResponsesVerifyAndRestartsHappen(IdentificationParameters p) {
        RandomSource random = RandomSource.deterministic(("sigma-" + p.name()).getBytes(StandardCharsets.UTF_8));
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        assertThat(LyubashevskyIdentification.image(keys.publicKey(), keys.secretKey().s().column(0)))
                .isEqualTo(keys.publicKey().t().column(0));
        int accepted = 0;
        int restarts = 0;
        while (accepted < 4) {
            Mask mask = LyubashevskyIdentification.commit(keys.publicKey(), random);
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            PolyVector c = LyubashevskyIdentification.challenge(p, seed);
            Optional<PolyVector> z = LyubashevskyIdentification.respond(keys.secretKey(), mask, c);
            if (z.isEmpty()) {
                restarts++;
                continue;
            }
            accepted++;
            assertThat(LyubashevskyIdentification.check(keys.publicKey(), mask.u(), c, z.get())).isEqualTo(Check.ACCEPTED);
        }
        assertThat(restarts).as("rejection sampling restarts").isPositive();
    }
}
