package org.latticare.lattice.additive;

import org.latticare.lattice.ring.Poly;

/**
 * The study key {@code (a, b = Σ_i (a·s_i + e_i))} as it accumulates along the ring of verifiers;
 * {@code parties} counts the shares folded in so far. {@code a} is expanded from {@code seed}.
 */
public record StudyPublicKey(RingLweParameters parameters, byte[] seed, Poly a, Poly b, int parties) {

    /** The next hop: this key with one more share added. */
    public StudyPublicKey plus(KeyShare share) {
        if (parties + 1 > parameters.maxParties()) {
            throw new IllegalStateException("noise budget covers at most " + parameters.maxParties() + " parties");
        }
        return new StudyPublicKey(parameters, seed, a, b.add(share.publicShare()), parties + 1);
    }
}
