package org.latticare.lattice.ring;

/** The infinity norm on centred representatives, shared by polynomials, vectors and matrices. */
final class Norms {

    private Norms() {
    }

    static long infinityNorm(Modulus m, long[] residues, int from, int to) {
        long max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(m.centered(residues[i])));
        }
        return max;
    }
}
