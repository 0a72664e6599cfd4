package org.latticare.lattice.trapdoor;

import java.util.List;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.security.CoreSvpEstimate;

/**
 * A parameter set of the trapdoor LWE scheme ({@link TrapdoorLwe}, {@link TrapdoorLweSeed}).
 *
 * <p>Shapes (MP12's "computational" instantiation): {@code Ā = [I_n | Â] ∈ R_q^{n×2n}} with
 * {@code Â} expanded from a seed, {@code R ∈ R^{2n×nk}} with entries uniform in {@code [-η, η]},
 * {@code A = [Ā | G − ĀR] ∈ R_q^{n×m}}, {@code m = 2n + nk}. Encryption errors are uniform in
 * {@code [-η, η]} too and plaintexts lie in {@code Z_p}.
 *
 * <p><b>Correctness, worst case.</b> With {@code x = p·e + b}, {@code ‖x‖∞ ≤ B_x = pη + ⌊p/2⌋} and the
 * decoding error {@code ε = x_1^T R + x_2^T} has {@code ‖ε‖∞ ≤ 2nN·B_x·η + B_x}. When that is at most
 * the gadget's {@link Gadget#decodingRadius() decoding radius} decryption cannot fail: the failure
 * probability is exactly 0, not merely small ({@link #decryptionCannotFail()}).
 *
 * <p><b>Security.</b> Two Module-LWE assumptions, both of rank {@code n} over {@code R_q} with
 * coefficients uniform in {@code [-η, η]} ({@code σ² = η(η+1)/3}): {@code ĀR = R_1 + ÂR_2} must look
 * uniform (so that {@code A} does), and {@code c = s^T A + p·e + b} must look uniform (multiply by
 * {@code p^{-1}}: an LWE sample with secret {@code p^{-1}s}). The claimed figures are core-SVP
 * estimates of the primal attack from {@link org.latticare.lattice.security.CoreSvpEstimate}, which
 * reproduces the published Dilithium2/3 block sizes (423, 623) to within one.
 */
public final class TrapdoorParameters {

    /** Tiny ring, for fast unit tests only: no security. */
    public static final TrapdoorParameters TEST = new TrapdoorParameters(
            1, "TEST", 16, Ring.DILITHIUM_PRIME, 2, 2, 9,
            "none (LWE dimension 32: a toy)", "by construction");

    /**
     * The paper's setting: plain matrices over {@code Z_q} ({@code N = 1}), {@code n = 256}. The LWE
     * dimension is 256, far too small: core-SVP primal estimate ≈ 2^18 (block size ≈ 63). Kept to
     * reproduce the paper's construction and to compare sizes, not to protect data.
     */
    public static final TrapdoorParameters PAPER = new TrapdoorParameters(
            2, "PAPER", 1, Ring.DILITHIUM_PRIME, 256, 2, 9,
            "≈18 bits (not secure): core-SVP, primal attack, block size ≈63",
            "CoreSvpEstimate (ADPS16 methodology, calibrated on Dilithium2/3)");

    /**
     * Module version, {@code N = 256}, rank {@code n = 4} (LWE dimension 1024), {@code q = 8380417},
     * {@code η = 9}. Core-SVP primal estimate: block size ≈534 for the ciphertext instance and ≈540
     * for the key instance, i.e. ≈156 classical / ≈141 quantum bits; for comparison, Dilithium2's
     * MLWE instance (same q and dimension, {@code η = 2}) is rated 123 bits by its authors.
     */
    public static final TrapdoorParameters STANDARD = new TrapdoorParameters(
            3, "STANDARD", 256, Ring.DILITHIUM_PRIME, 4, 2, 9,
            "≈156 bits classical / ≈141 quantum: core-SVP, primal attack, block size ≈534",
            "CoreSvpEstimate (ADPS16 methodology, reproduces Dilithium2/3 published block sizes 423/623 "
                    + "within one); an estimate, to be confirmed with the lattice-estimator");

    public static final List<TrapdoorParameters> ALL = List.of(TEST, PAPER, STANDARD);

    private final int id;
    private final String name;
    private final Ring ring;
    private final int rank;
    private final int plaintextModulus;
    private final int eta;
    private final String claimedSecurity;
    private final String securitySource;
    private final Gadget gadget;

    private TrapdoorParameters(int id, String name, int degree, long q, int rank, int plaintextModulus, int eta,
                               String claimedSecurity, String securitySource) {
        this.id = id;
        this.name = name;
        this.ring = Ring.of(degree, q);
        this.rank = rank;
        this.plaintextModulus = plaintextModulus;
        this.eta = eta;
        this.claimedSecurity = claimedSecurity;
        this.securitySource = securitySource;
        this.gadget = new Gadget(ring.modulus());
        if (q % plaintextModulus == 0) {
            throw new IllegalArgumentException("gcd(p, q) must be 1");
        }
    }

    /** The set with this wire identifier. */
    public static TrapdoorParameters byId(int id) {
        for (TrapdoorParameters p : ALL) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown trapdoor parameter set " + id);
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Ring ring() {
        return ring;
    }

    /** {@code n}: rows of {@code A}, rank of the LWE secret. */
    public int rank() {
        return rank;
    }

    /** {@code k = ⌈log2 q⌉}. */
    public int gadgetLength() {
        return gadget.length();
    }

    public Gadget gadget() {
        return gadget;
    }

    /** {@code m̄ = 2n}: columns of {@code Ā}, rows of {@code R}. */
    public int trapdoorRows() {
        return 2 * rank;
    }

    /** {@code nk}: columns of {@code G} and of {@code R}. */
    public int gadgetColumns() {
        return rank * gadget.length();
    }

    /** {@code m = 2n + nk}: columns of {@code A}, ring elements in a ciphertext. */
    public int columns() {
        return trapdoorRows() + gadgetColumns();
    }

    /** Number of {@code Z_p} plaintext symbols per ciphertext: {@code m·N}. */
    public int plaintextLength() {
        return columns() * ring.degree();
    }

    public int plaintextModulus() {
        return plaintextModulus;
    }

    public int eta() {
        return eta;
    }

    /** {@code B_x = pη + ⌊p/2⌋}: the largest {@code |x_i|} of an honest {@code x = p·e + b}. */
    public long errorBound() {
        return (long) plaintextModulus * eta + plaintextModulus / 2;
    }

    /** Worst-case {@code ‖x_1^T R + x_2^T‖∞ = 2nN·B_x·η + B_x}. */
    public long worstCaseDecodingError() {
        return (long) trapdoorRows() * ring.degree() * errorBound() * eta + errorBound();
    }

    public boolean decryptionCannotFail() {
        return worstCaseDecodingError() <= gadget.decodingRadius();
    }

    /**
     * The weaker of the two core-SVP estimates: the key instance ({@code nN} samples) and the
     * ciphertext instance ({@code mN} samples), both with {@code σ² = η(η+1)/3}.
     */
    public CoreSvpEstimate.Result coreSvp() {
        int dimension = rank * ring.degree();
        double q = ring.modulus().value();
        double sigma = Math.sqrt(eta * (eta + 1) / 3.0);
        CoreSvpEstimate.Result key = CoreSvpEstimate.primal(dimension, q, sigma, dimension);
        CoreSvpEstimate.Result ciphertext = CoreSvpEstimate.primal(dimension, q, sigma, columns() * ring.degree());
        return key.blockSize() <= ciphertext.blockSize() ? key : ciphertext;
    }

    public String claimedSecurity() {
        return claimedSecurity;
    }

    public String securitySource() {
        return securitySource;
    }

    private int coefficientBits() {
        return ring.modulus().bitLength();
    }

    /** Encoded public key: header, 32-byte seed of {@code Â}, and {@code G − ĀR} packed. */
    public int publicKeyBytes() {
        return 8 + 32 + (rank * gadgetColumns() * ring.degree() * coefficientBits() + 7) / 8;
    }

    /** Encoded private key: header, the length-prefixed public key, {@code R} at {@code ⌈log2(2η+1)⌉} bits. */
    public int privateKeyBytes() {
        int bits = 64 - Long.numberOfLeadingZeros(2L * eta);
        return 8 + 4 + publicKeyBytes() + (trapdoorRows() * gadgetColumns() * ring.degree() * bits + 7) / 8;
    }

    /** Encoded ciphertext: header and {@code m} ring elements packed. */
    public int ciphertextBytes() {
        return 8 + (columns() * ring.degree() * coefficientBits() + 7) / 8;
    }

    @Override
    public String toString() {
        return name + "(N=" + ring.degree() + ", q=" + ring.modulus().value() + ", n=" + rank
                + ", k=" + gadgetLength() + ", m=" + columns() + ", p=" + plaintextModulus + ", η=" + eta + ")";
    }
}
