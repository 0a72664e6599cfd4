package org.latticare.zkp.sigma;

import org.latticare.lattice.ring.PolyMatrix;

/**
 * The witness {@code S = (S1; S2) ∈ [−η, η]^{m×ℓ}} over {@code R_q}, with {@code [A | I]·S = T}. It never
 * leaves the patient's device; {@code toString} does not print it.
 */
public final class IdentitySecretKey {

    private final IdentificationParameters parameters;
    private final PolyMatrix s;

    IdentitySecretKey(IdentificationParameters parameters, PolyMatrix s) {
        this.parameters = parameters;
        this.s = s;
    }

    public IdentificationParameters parameters() {
        return parameters;
    }

    /** {@code S} itself (for tests and the wallet's own storage). */
    public PolyMatrix s() {
        return s;
    }

    @Override
    public String toString() {
        return "IdentitySecretKey[" + parameters.name() + "]";
    }
}
