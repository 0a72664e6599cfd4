package org.latticare.lattice.additive;

import org.latticare.lattice.ring.Poly;

/**
 * {@code (c_0, c_1) = (b·u + e_1 + Δ·m, a·u + e_2)}, and the number of records it aggregates (1 when
 * fresh; summed by {@link RingLweAdditive#add}). The record count is what the minimum-cohort rule checks.
 */
public record AdditiveCiphertext(RingLweParameters parameters, Poly c0, Poly c1, int records) {
}
