package org.latticare.lattice.additive;

import org.latticare.lattice.ring.Poly;

/** Verifier node {@code i}'s share: secret {@code s_i} and public contribution {@code b_i = a·s_i + e_i}. */
public record KeyShare(int party, Poly secret, Poly publicShare) {

    @Override
    public String toString() {
        return "KeyShare[party=" + party + "]"; // never print the secret
    }
}
