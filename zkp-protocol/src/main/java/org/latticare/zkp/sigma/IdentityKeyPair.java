package org.latticare.zkp.sigma;

import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/**
 * Enrolment (CRYPTO.md section 3): sample a short {@code S = (S1; S2)} and publish
 * {@code T = [A | I]·S = A S1 + S2} with {@code A} expanded from a fresh public seed.
 */
public record IdentityKeyPair(IdentityPublicKey publicKey, IdentitySecretKey secretKey) {

    public static IdentityKeyPair generate(IdentificationParameters p, RandomSource random) {
        byte[] seed = new byte[UniformSampler.SEED_BYTES];
        random.nextBytes(seed);
        BoundedUniform secret = new BoundedUniform(p.eta());
        PolyMatrix s1 = secret.matrix(p.ring(), p.columns(), p.challengeLength(), random);
        PolyMatrix s2 = secret.matrix(p.ring(), p.rows(), p.challengeLength(), random);
        PolyMatrix a = UniformSampler.expand(p.ring(), p.rows(), p.columns(), seed);
        PolyMatrix t = a.multiply(s1).add(s2);
        return new IdentityKeyPair(new IdentityPublicKey(p, seed, t, a), new IdentitySecretKey(p, s1.concatRows(s2)));
    }
}
