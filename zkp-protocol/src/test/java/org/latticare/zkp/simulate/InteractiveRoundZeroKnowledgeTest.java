package org.latticare.zkp.simulate;

import java.util.Map;
import java.util.Optional;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentitySecretKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;

/**
 * The {@link ZeroKnowledgeContract} for the interactive round: E3 is {@link LyubashevskyIdentification#respond},
 * the mutant answers the library's own {@code z = y + S c} for the library's mask and withholds it above
 * another bound, the simulator is {@link TranscriptSimulator}.
 *
 * <p>Sizes: 400 accepted rounds at ring-id-256 (1.1·10^6 coefficients; a mutant puts 0.8 to 1.1
 * coefficients a round past the box, about 300 to 450 in all, against a χ² threshold near 80 at 21
 * degrees of freedom), 10 000 at the wide-edged test set (3·10^4 coefficients).
 */
class InteractiveRoundZeroKnowledgeTest extends ZeroKnowledgeContract {

    private static final Map<IdentificationParameters, Integer> ROUNDS = Map.of(IdentificationParameters.N256, 400,
            ResponseHistogram.WIDE_EDGES, 10_000);

    /** E3 with the rejection step as the variable part. */
    @FunctionalInterface
    private interface Responder {
        Optional<PolyVector> respond(IdentitySecretKey secret, Mask mask, PolyVector c);
    }

    @Override
    protected ResponseHistogram real(IdentityKeyPair keys, RandomSource random) {
        return responses(keys, LyubashevskyIdentification::respond, random);
    }

    @Override
    protected ResponseHistogram rejectingAbove(IdentityKeyPair keys, long bound, RandomSource random) {
        return responses(keys, (secret, mask, c) -> {
            PolyVector z = mask.y().add(secret.s().multiply(c));
            return z.infinityNorm() <= bound ? Optional.of(z) : Optional.empty();
        }, random);
    }

    @Override
    protected ResponseHistogram simulated(IdentityKeyPair keys, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        ResponseHistogram h = new ResponseHistogram(p);
        for (int i = 0; i < ROUNDS.get(p); i++) {
            TranscriptSimulator.Transcript t = TranscriptSimulator.simulate(keys.publicKey(), random);
            h.add(t.z(), keys.secretKey().s().multiply(t.c()));
        }
        return h;
    }

    @Override
    protected ResponseHistogram simulatedWithin(IdentityKeyPair keys, long bound, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        BoundedUniform uniform = new BoundedUniform(bound);
        ResponseHistogram h = new ResponseHistogram(p);
        for (int i = 0; i < ROUNDS.get(p); i++) {
            PolyVector z = PolyVector.ofCoefficients(p.ring(), uniform.samples(p.witnessLength() * p.degree(), random));
            h.add(z, keys.secretKey().s().multiply(challenge(p, random)));
        }
        return h;
    }

    /** Accepted responses of {@code responder} to the library's masks, each with the {@code S c} it answered. */
    private static ResponseHistogram responses(IdentityKeyPair keys, Responder responder, RandomSource random) {
        IdentificationParameters p = keys.publicKey().parameters();
        ResponseHistogram h = new ResponseHistogram(p);
        for (int accepted = 0; accepted < ROUNDS.get(p); ) {
            Mask mask = LyubashevskyIdentification.commit(keys.publicKey(), random);
            PolyVector c = challenge(p, random);
            Optional<PolyVector> z = responder.respond(keys.secretKey(), mask, c);
            if (z.isPresent()) {
                h.add(z.get(), keys.secretKey().s().multiply(c));
                accepted++;
            }
        }
        return h;
    }

    private static PolyVector challenge(IdentificationParameters p, RandomSource random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return LyubashevskyIdentification.challenge(p, seed);
    }
}
