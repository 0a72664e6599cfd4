package org.latticare.zkp.seed;

import java.util.List;
import java.util.Optional;

import org.latticare.lattice.ring.Modulus;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.zkp.seed.SeedRingProtocol.TranscriptEntry;

/**
 * The zero-knowledge failure of {@link SeedRingProtocol}: each round gives the verifier
 * {@code E1 = ⟨w, V_m⟩ mod q} (4) for a public {@code V_m}, one linear equation in {@code w}. Once the
 * transcript holds m linearly independent {@code V_m} (after m rounds, with probability about
 * {@code 1 - 1/q}), Gaussian elimination mod q returns {@code w} exactly.
 */
public final class WitnessRecovery {

    private WitnessRecovery() {
    }

    /** {@code w} with {@code ⟨w, V_m⟩ = E1} for every entry, or empty while the system has rank below m. */
    public static Optional<PolyVector> solve(Ring ring, int m, List<TranscriptEntry> transcript) {
        Modulus q = ring.modulus();
        int rows = transcript.size();
        long[][] a = new long[rows][m + 1];
        for (int i = 0; i < rows; i++) {
            long[] v = transcript.get(i).vm().coefficients();
            System.arraycopy(v, 0, a[i], 0, m);
            a[i][m] = transcript.get(i).e1();
        }
        int pivotRow = 0;
        for (int col = 0; col < m; col++) {
            int p = pivotRow;
            while (p < rows && a[p][col] == 0) {
                p++;
            }
            if (p == rows) {
                return Optional.empty();
            }
            long[] t = a[p];
            a[p] = a[pivotRow];
            a[pivotRow] = t;
            long inv = q.inverse(a[pivotRow][col]);
            for (int j = col; j <= m; j++) {
                a[pivotRow][j] = q.multiply(a[pivotRow][j], inv);
            }
            for (int i = 0; i < rows; i++) {
                if (i != pivotRow && a[i][col] != 0) {
                    long f = a[i][col];
                    for (int j = col; j <= m; j++) {
                        a[i][j] = q.subtract(a[i][j], q.multiply(f, a[pivotRow][j]));
                    }
                }
            }
            pivotRow++;
        }
        long[] w = new long[m];
        for (int i = 0; i < m; i++) {
            w[i] = a[i][m];
        }
        return Optional.of(PolyVector.ofCoefficients(ring, w));
    }
}
