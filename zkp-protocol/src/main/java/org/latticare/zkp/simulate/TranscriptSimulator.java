package org.latticare.zkp.simulate;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;

/**
 * The honest-verifier zero-knowledge simulator of the sound identification: without S, sample
 * {@code z} uniform on {@code [−(γ−β), γ−β]^{mN}} and a uniform challenge {@code c}, and set
 * {@code u = [A | I] z − T c}. Because rejection sampling makes an accepted real {@code z} exactly
 * uniform on that box and independent of S and c, the simulated {@code (u, c, z)} has the
 * distribution of an accepted real round (aborted rounds reveal only a uniformly masked {@code u}).
 * It is also the reason the seed variant's {@code E1} cannot be simulated: that one is a fixed linear
 * function of {@code w}.
 */
public final class TranscriptSimulator {

    /** One accepted round: commitment, challenge, response. */
    public record Transcript(PolyVector u, PolyVector c, PolyVector z) {
    }

    private TranscriptSimulator() {
    }

    public static Transcript simulate(IdentityPublicKey key, RandomSource random) {
        IdentificationParameters p = key.parameters();
        long[] z = new BoundedUniform(p.responseBound()).samples(p.witnessLength() * p.degree(), random);
        PolyVector zv = PolyVector.ofCoefficients(p.ring(), z);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        PolyVector c = LyubashevskyIdentification.challenge(p, seed);
        return new Transcript(LyubashevskyIdentification.recompute(key, c, zv), c, zv);
    }
}
