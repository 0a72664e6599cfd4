package org.latticare.lattice.trapdoor;

import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.DiscreteGaussian;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/**
 * <b>Seed variant</b> — the paper's Section 3 exactly as printed, kept to reproduce it. <b>Not secure.</b>
 *
 * <pre>    c^T = s^T A + q·e^T + b^T  (mod q)                 (1)
 *     (c^T R) mod q = (b^T R) mod q, and b is found      (2)</pre>
 * with the paper's trapdoor {@code R} = the short basis {@code S_A} ({@code A·S_A ≡ 0}). Equation (1)
 * is read as {@code s^T A} ({@code s^T b^T A} does not type-check) and {@code b} short.
 *
 * <p>Why it fails: {@code q·e ≡ 0 (mod q)}, so the ciphertext is the noiseless {@code s^T A + b^T}; the
 * encryption randomness {@code e} has no effect, two ciphertexts under one {@code s} differ by exactly
 * {@code b_1 − b_2}, and since {@code A = [I | …]} the first {@code n} entries of {@code c} are
 * {@code s + b_{1..n}}, so a message whose first {@code n} symbols are known (padding) is read by
 * anyone. {@code TrapdoorLweSeedTest} demonstrates each leak.
 *
 * <p>Decryption (2) works: {@code c^T S_A = b^T S_A} is short, hence exact over the integers after
 * centring, and {@code b^T = (b^T S_A)·S_A^{-1}} is computed from the factors of {@code S_A}:
 * {@code S_A^{-1} = [[I,0],[−S^{-1}W, S^{-1}]]·[[I,−R],[0,I]]}, the only non-modular step being
 * {@code S^{-1}}, i.e. the same integer solve as the gadget decoding. It needs {@code S_A} in full
 * ({@code m²N} entries), so use it with {@code TEST} or {@code STANDARD}, not {@code PAPER}.
 */
public final class TrapdoorLweSeed {

    /** Width of the paper's Gaussian error; irrelevant, since {@code q·e} vanishes. */
    public static final double SIGMA = 3.2;

    private final TrapdoorParameters parameters;

    public TrapdoorLweSeed(TrapdoorParameters parameters) {
        this.parameters = parameters;
    }

    /** Equation (1) as written, with the error supplied by a Gaussian sampler. */
    public TrapdoorCiphertext encrypt(TrapdoorPublicKey publicKey, long[] plaintext, RandomSource random) {
        PolyVector s = UniformSampler.vector(parameters.ring(), parameters.rank(), random);
        PolyVector e = new DiscreteGaussian(SIGMA).vector(parameters.ring(), parameters.columns(), random);
        return encrypt(publicKey, plaintext, s, e);
    }

    /** Equation (1) with explicit {@code s} and {@code e}: {@code c = s^T A + q·e + b}. */
    public TrapdoorCiphertext encrypt(TrapdoorPublicKey publicKey, long[] plaintext, PolyVector s, PolyVector e) {
        Ring ring = parameters.ring();
        long q = ring.modulus().value();
        long[] b = new long[plaintext.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = TrapdoorLwe.centeredModP(plaintext[i], parameters.plaintextModulus());
        }
        PolyVector c = publicKey.times(s).add(e.multiply(q)).add(PolyVector.ofCoefficients(ring, b));
        return new TrapdoorCiphertext(parameters, c);
    }

    /** Equation (2): {@code z = c^T S_A mod± q = b^T S_A}, then {@code b^T = z^T S_A^{-1}}. */
    public long[] decrypt(GadgetTrapdoor trapdoor, TrapdoorCiphertext ciphertext) {
        PolyMatrix shortBasis = trapdoor.shortBasis();
        PolyVector z = shortBasis.leftMultiply(ciphertext.c());
        int mBar = parameters.trapdoorRows();
        Ring ring = parameters.ring();
        // ζ = z_2 S^{-1} over the integers (z_2 centred), per gadget block and coefficient
        long[] z2 = z.slice(mBar, parameters.columns()).centeredCoefficients();
        int n = parameters.rank();
        int k = parameters.gadgetLength();
        int d = ring.degree();
        long[] zeta = new long[z2.length];
        long[] block = new long[k];
        try {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < d; t++) {
                    for (int j = 0; j < k; j++) {
                        block[j] = z2[(i * k + j) * d + t];
                    }
                    long[] solved = parameters.gadget().solve(block);
                    for (int j = 0; j < k; j++) {
                        zeta[(i * k + j) * d + t] = solved[j];
                    }
                }
            }
        } catch (ArithmeticException e) {
            throw new DecryptionException("b^T S_A is not short enough to invert: " + e.getMessage());
        }
        PolyVector zetaVector = PolyVector.ofCoefficients(ring, zeta);
        PolyVector u1 = z.slice(0, mBar).subtract(trapdoor.decompositionOfMinusABar().leftMultiply(zetaVector));
        PolyVector b2 = zetaVector.subtract(trapdoor.trapdoor().leftMultiply(u1));
        long[] b = u1.concat(b2).centeredCoefficients();
        int p = parameters.plaintextModulus();
        for (int i = 0; i < b.length; i++) {
            if (Math.abs(b[i]) > p / 2) {
                throw new DecryptionException("recovered b is not a plaintext");
            }
            b[i] = Math.floorMod(b[i], p);
        }
        return b;
    }
}
