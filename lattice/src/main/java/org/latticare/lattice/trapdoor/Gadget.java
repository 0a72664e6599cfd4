package org.latticare.lattice.trapdoor;

import org.latticare.lattice.ring.Modulus;

/**
 * The gadget {@code g = (1, 2, …, 2^{k-1})}, {@code k = ⌈log2 q⌉}, and the basis {@code S_k} of
 * {@code Λ⊥(g^T) = {z ∈ Z^k : ⟨g, z⟩ ≡ 0 mod q}} from Micciancio–Peikert 2012, section 4.2: columns
 * {@code 2e_j − e_{j+1}} ({@code j < k-1}) and the binary digits {@code (q_0, …, q_{k-1})} of {@code q}.
 *
 * <p>Inverting {@code g}: given {@code y = s·g + ε (mod q)} with {@code ε} short,
 * {@code y^T S_k ≡ ε^T S_k (mod q)} because {@code g^T S_k ≡ 0}; if every entry of {@code ε^T S_k}
 * lies in {@code (-q/2, q/2)} the centred residue <em>is</em> {@code ε^T S_k} over the integers,
 * {@code ε} follows by solving the triangular system, and {@code s = y_0 − ε_0}. This is the paper's
 * decryption step (2), "{@code (c^T R) mod q} … b can be found", done per gadget block. The sufficient
 * condition is {@code ‖ε‖∞ · max(3, popcount(q)) < q/2} ({@link #decodingRadius()}).
 */
public final class Gadget {

    private final Modulus modulus;
    private final int k;
    private final long[] qDigits;

    public Gadget(Modulus modulus) {
        if (modulus.bitLength() > 28) {
            // the integer solve below keeps 2^k·(q/2)·k in a long; 28 bits leaves ample room
            throw new IllegalArgumentException("gadget decoding supports q < 2^28, got " + modulus.value());
        }
        this.modulus = modulus;
        this.k = modulus.bitLength();
        this.qDigits = new long[k];
        for (int i = 0; i < k; i++) {
            qDigits[i] = (modulus.value() >>> i) & 1;
        }
    }

    /** {@code k}, the gadget length. */
    public int length() {
        return k;
    }

    /** {@code g_i = 2^i}. */
    public long entry(int i) {
        return 1L << i;
    }

    /** {@code S_k[i][j]}: row {@code i}, column {@code j}. */
    public long basisEntry(int i, int j) {
        if (j == k - 1) {
            return qDigits[i];
        }
        return i == j ? 2 : i == j + 1 ? -1 : 0;
    }

    /** Largest {@code ‖ε‖∞} for which {@link #decode} is guaranteed to succeed. */
    public long decodingRadius() {
        long weight = Math.max(3, Long.bitCount(modulus.value()));
        return (modulus.value() / 2 - 1) / weight;
    }

    /**
     * Solves {@code ε^T S_k = v} over the integers. With {@code ε_{j+1} = 2ε_j − v_j} every {@code ε_j}
     * is {@code 2^j ε_0 − c_j}; the last column then gives {@code q·ε_0 = v_{k-1} + Σ q_j c_j}.
     *
     * @throws ArithmeticException if {@code v} is not in the integer row space of {@code S_k}, i.e. no
     *                             integral {@code ε} exists — which for a decryption means failure
     */
    public long[] solve(long[] v) {
        long[] c = new long[k];
        long sum = v[k - 1];
        for (int j = 0; j < k; j++) {
            if (j > 0) {
                c[j] = 2 * c[j - 1] + v[j - 1];
            }
            sum += qDigits[j] * c[j];
        }
        long q = modulus.value();
        if (Math.floorMod(sum, q) != 0) {
            throw new ArithmeticException("not in the lattice spanned by S_k");
        }
        long[] epsilon = new long[k];
        epsilon[0] = sum / q;
        for (int j = 1; j < k; j++) {
            epsilon[j] = 2 * epsilon[j - 1] - v[j - 1];
        }
        return epsilon;
    }

    /**
     * {@code s} from the gadget block {@code y_j = y[offset + j·stride]} (residues) with
     * {@code y = s·g + ε}, {@code ‖ε‖∞ ≤} {@link #decodingRadius()}.
     */
    public long decode(long[] y, int offset, int stride) {
        // the same solve as above, streamed: only ε_0 is needed, so nothing is allocated
        long q = modulus.value();
        long half = q >> 1;
        long sumDigits = 0;
        for (int j = 0; j < k; j++) {
            sumDigits += qDigits[j] * y[offset + j * stride];
        }
        long sum = modulus.centered(modulus.reduce(sumDigits));
        long c = 0;
        long previous = y[offset];
        for (int j = 1; j < k; j++) {
            long next = y[offset + j * stride];
            // 2·y_j − y_{j+1} ∈ (−q, 2q), centred without data-dependent branches
            long v = 2 * previous - next;
            v -= q & ((half - v) >> 63);
            v -= q & ((half - v) >> 63);
            v += q & ((v + half) >> 63);
            c = 2 * c + v;
            sum += qDigits[j] * c;
            previous = next;
        }
        if (Math.floorMod(sum, q) != 0) {
            throw new ArithmeticException("not in the lattice spanned by S_k");
        }
        return modulus.reduce(y[offset] - sum / q);
    }
}
