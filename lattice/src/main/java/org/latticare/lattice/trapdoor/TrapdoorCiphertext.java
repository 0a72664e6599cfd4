package org.latticare.lattice.trapdoor;

import org.latticare.lattice.ring.PolyVector;

/** A ciphertext {@code c ∈ R_q^m} of {@link TrapdoorLwe} or {@link TrapdoorLweSeed}. */
public record TrapdoorCiphertext(TrapdoorParameters parameters, PolyVector c) {

    public TrapdoorCiphertext {
        if (!c.ring().equals(parameters.ring()) || c.length() != parameters.columns()) {
            throw new IllegalArgumentException("ciphertext has the wrong shape for " + parameters);
        }
    }
}
