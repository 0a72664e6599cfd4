package org.latticare.lattice.trapdoor;

import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/**
 * GenTrap of Micciancio–Peikert 2012 ("Trapdoors for lattices", Algorithm 1, computational
 * instantiation): {@code Ā = [I_n | Â]} with {@code Â} uniform from a seed, {@code R} short, and
 * <pre>    A = [Ā | G − ĀR],   so that   A · [R; I] = G (mod q).</pre>
 * {@code R} is the trapdoor. The paper's own trapdoor, "{@code R} with {@code AR = 0 mod q}", is the
 * short basis {@code S_A} of {@code Λ⊥_q(A)} derived from it (MP12 Lemma 5.3):
 * <pre>    S_A = [[I, R], [0, I]] · [[I, 0], [W, S]],   G·W = −Ā (mod q),   S = I_n ⊗ S_k,</pre>
 * where {@code W} is the bit decomposition of {@code −Ā} and {@code S_k} the basis of
 * {@code Λ⊥(g^T)} ({@link Gadget}). Generation asserts {@code A·S_A ≡ 0 (mod q)}.
 */
public final class GadgetTrapdoor {

    private final TrapdoorPublicKey publicKey;
    private final PolyMatrix r;

    private GadgetTrapdoor(TrapdoorPublicKey publicKey, PolyMatrix r, boolean generated) {
        TrapdoorParameters params = publicKey.parameters();
        if (r.rows() != params.trapdoorRows() || r.cols() != params.gadgetColumns() || !r.ring().equals(params.ring())) {
            throw new IllegalArgumentException("trapdoor R has the wrong shape for " + params);
        }
        this.publicKey = publicKey;
        this.r = r;
        if (generated) {
            assertAnnihilatesPublicMatrix();
        } else {
            assertMatchesOnRandomVector();
        }
    }

    /** GenTrap: a fresh public matrix {@code A} and its trapdoor {@code R}. */
    public static GadgetTrapdoor generate(TrapdoorParameters params, RandomSource random) {
        Ring ring = params.ring();
        byte[] seed = new byte[UniformSampler.SEED_BYTES];
        random.nextBytes(seed);
        PolyMatrix aHat = UniformSampler.expand(ring, params.rank(), params.rank(), seed);
        PolyMatrix r = new BoundedUniform(params.eta()).matrix(ring, params.trapdoorRows(), params.gadgetColumns(), random);
        PolyMatrix aBarR = aBarTimes(aHat, r, params.rank());
        PolyMatrix a2 = gadgetMatrix(params).subtract(aBarR);
        return new GadgetTrapdoor(new TrapdoorPublicKey(params, seed, a2), r, true);
    }

    /**
     * Rebuilds a trapdoor from its parts (after decoding). Instead of redoing key generation's full
     * check, it applies Freivalds' test: {@code A·[R; I]·v = G·v} for a fresh uniform {@code v}, which a
     * mismatched {@code R} passes with probability at most {@code 1/q}. At {@code N = 1} this keeps
     * loading a key linear in its size instead of cubic.
     *
     * @throws IllegalStateException if {@code R} is not a trapdoor for the public matrix
     */
    public static GadgetTrapdoor of(TrapdoorPublicKey publicKey, PolyMatrix r) {
        return new GadgetTrapdoor(publicKey, r, false);
    }

    public TrapdoorPublicKey publicKey() {
        return publicKey;
    }

    public TrapdoorParameters parameters() {
        return publicKey.parameters();
    }

    /** The trapdoor {@code R ∈ R^{2n×nk}}, short. */
    public PolyMatrix trapdoor() {
        return r;
    }

    /** {@code y^T = c^T·[R; I] = c_1^T R + c_2^T}: the gadget-structured image used to decode. */
    PolyVector applyTrapdoor(PolyVector c) {
        int mBar = parameters().trapdoorRows();
        return r.leftMultiply(c.slice(0, mBar)).add(c.slice(mBar, c.length()));
    }

    /** {@code G = I_n ⊗ g^T ∈ R_q^{n×nk}} (constant polynomials). */
    public static PolyMatrix gadgetMatrix(TrapdoorParameters params) {
        Ring ring = params.ring();
        int n = params.rank();
        int k = params.gadgetLength();
        int d = ring.degree();
        long[] flat = new long[n * n * k * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                flat[(i * n * k + i * k + j) * d] = params.gadget().entry(j);
            }
        }
        return PolyMatrix.ofCoefficients(ring, n, n * k, flat);
    }

    /** {@code S = I_n ⊗ S_k ∈ Z^{nk×nk}} (constant polynomials). */
    public static PolyMatrix gadgetBasis(TrapdoorParameters params) {
        Ring ring = params.ring();
        int n = params.rank();
        int k = params.gadgetLength();
        int nk = n * k;
        int d = ring.degree();
        long[] flat = new long[nk * nk * d];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    flat[((b * k + i) * nk + b * k + j) * d] = params.gadget().basisEntry(i, j);
                }
            }
        }
        return PolyMatrix.ofCoefficients(ring, nk, nk, flat);
    }

    /** {@code W ∈ {0,1}[X]^{nk×2n}}: bit decomposition of {@code −Ā}, so that {@code G·W = −Ā (mod q)}. */
    public PolyMatrix decompositionOfMinusABar() {
        TrapdoorParameters params = parameters();
        PolyMatrix aBar = publicKey.aBar();
        Ring ring = params.ring();
        int n = params.rank();
        int k = params.gadgetLength();
        int cols = params.trapdoorRows();
        int d = ring.degree();
        long[] minusABar = aBar.negate().coefficients();
        long[] flat = new long[n * k * cols * d];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < cols; l++) {
                for (int t = 0; t < d; t++) {
                    long value = minusABar[(i * cols + l) * d + t];
                    for (int j = 0; j < k; j++) {
                        flat[((i * k + j) * cols + l) * d + t] = (value >>> j) & 1;
                    }
                }
            }
        }
        return PolyMatrix.ofCoefficients(ring, n * k, cols, flat);
    }

    /**
     * The paper's trapdoor: the short basis {@code S_A = [[I + RW, RS], [W, S]] ∈ R^{m×m}} of
     * {@code Λ⊥_q(A)}. It has {@code m² N} entries, so it is built on request, not kept in the key.
     */
    public PolyMatrix shortBasis() {
        TrapdoorParameters params = parameters();
        Ring ring = params.ring();
        PolyMatrix w = decompositionOfMinusABar();
        PolyMatrix s = gadgetBasis(params);
        PolyMatrix top = PolyMatrix.identity(ring, params.trapdoorRows()).add(r.multiply(w)).concatColumns(r.multiply(s));
        PolyMatrix bottom = w.concatColumns(s);
        return top.concatRows(bottom);
    }

    /**
     * Asserts {@code A·S_A ≡ 0 (mod q)}, evaluated in the factored form
     * {@code A·S_A = (A·[[I,R],[0,I]])·[[I,0],[W,S]] = [Ā | ĀR + A_2]·[[I,0],[W,S]]}:
     * it holds exactly when {@code ĀR + A_2 = G}, {@code Ā + G·W = 0} and {@code G·S = I_n ⊗ g^T S_k = 0}.
     * The factored form keeps this check as cheap as key generation itself even for {@code N = 1},
     * where {@code S_A} would have {@code m² ≈ 4·10^7} entries.
     */
    private void assertAnnihilatesPublicMatrix() {
        TrapdoorParameters params = parameters();
        int n = params.rank();
        PolyMatrix aBarR = aBarTimes(publicKey.aHat(), r, n);
        if (!aBarR.add(publicKey.a2()).equals(gadgetMatrix(params))) {
            throw new IllegalStateException("A·[R; I] != G (mod q): R is not a trapdoor for A");
        }
        PolyMatrix gw = recompose(params, decompositionOfMinusABar());
        if (!publicKey.aBar().add(gw).isZero()) {
            throw new IllegalStateException("Ā + G·W != 0 (mod q)");
        }
        Gadget g = params.gadget();
        long q = params.ring().modulus().value();
        for (int j = 0; j < g.length(); j++) {
            long dot = 0;
            for (int i = 0; i < g.length(); i++) {
                dot += g.entry(i) * g.basisEntry(i, j);
            }
            if (Math.floorMod(dot, q) != 0) {
                throw new IllegalStateException("g^T S_k != 0 (mod q)");
            }
        }
    }

    private void assertMatchesOnRandomVector() {
        TrapdoorParameters params = parameters();
        int n = params.rank();
        // a fresh secret seed, expanded with SHAKE-128: v must be unpredictable to whoever made the key
        byte[] seed = new byte[UniformSampler.SEED_BYTES];
        RandomSource.secure().nextBytes(seed);
        PolyVector v = UniformSampler.vector(params.ring(), params.gadgetColumns(), RandomSource.shake128(seed));
        PolyVector rv = r.multiply(v);
        PolyVector lhs = rv.slice(0, n).add(publicKey.aHat().multiply(rv.slice(n, 2 * n))).add(publicKey.a2().multiply(v));
        if (!lhs.equals(gadgetMatrixTimes(params, v))) {
            throw new IllegalStateException("A·[R; I] != G (mod q): R is not a trapdoor for A");
        }
    }

    /** {@code G·v}: entry {@code i} is {@code Σ_j 2^j v_{ik+j}}. */
    private static PolyVector gadgetMatrixTimes(TrapdoorParameters params, PolyVector v) {
        int k = params.gadgetLength();
        PolyVector acc = null;
        for (int i = 0; i < params.rank(); i++) {
            PolyVector entry = PolyVector.zero(params.ring(), 1);
            for (int j = 0; j < k; j++) {
                entry = entry.add(v.slice(i * k + j, i * k + j + 1).multiply(params.gadget().entry(j)));
            }
            acc = acc == null ? entry : acc.concat(entry);
        }
        return acc;
    }

    /** {@code G·W} for the block structure of {@code G}: row {@code i} is {@code Σ_j 2^j W[ik + j]}. */
    private static PolyMatrix recompose(TrapdoorParameters params, PolyMatrix w) {
        int n = params.rank();
        int k = params.gadgetLength();
        PolyVector[] rows = new PolyVector[n];
        for (int i = 0; i < n; i++) {
            PolyVector acc = PolyVector.zero(params.ring(), w.cols());
            for (int j = 0; j < k; j++) {
                acc = acc.add(w.row(i * k + j).multiply(params.gadget().entry(j)));
            }
            rows[i] = acc;
        }
        return PolyMatrix.ofRows(rows);
    }

    /** {@code Ā·R = [I | Â]·[R_1; R_2] = R_1 + Â·R_2}. */
    static PolyMatrix aBarTimes(PolyMatrix aHat, PolyMatrix r, int n) {
        PolyMatrix r1 = rowBlock(r, 0, n);
        PolyMatrix r2 = rowBlock(r, n, 2 * n);
        return r1.add(aHat.multiply(r2));
    }

    private static PolyMatrix rowBlock(PolyMatrix m, int from, int to) {
        return m.transpose().columns(from, to).transpose();
    }
}
