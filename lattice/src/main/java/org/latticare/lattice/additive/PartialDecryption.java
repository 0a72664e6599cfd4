package org.latticare.lattice.additive;

import org.latticare.lattice.ring.Poly;

/** Party {@code i}'s contribution {@code d_i = c_1·s_i + E_i} with smudging noise {@code E_i}. */
public record PartialDecryption(int party, Poly share) {
}
