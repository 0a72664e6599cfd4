package org.latticare.lattice.trapdoor;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/**
 * The paper's Section 3 encryption, corrected (the sound variant, default everywhere).
 *
 * <p><b>Encrypt</b> {@code b ∈ Z_p^{mN}}: uniform {@code s ∈ R_q^n}, short {@code e ∈ R^m},
 * <pre>    c^T = s^T A + p·e^T + b^T (mod q)                                  — eq. (1) with p·e for q·e</pre>
 * Multiplying by {@code p^{-1}} turns {@code c} into an LWE sample with error {@code e}, so it is
 * pseudorandom and hides {@code b}. In eq. (1) as printed the error is {@code q·e ≡ 0}; see
 * {@link TrapdoorLweSeed}.
 *
 * <p><b>Decrypt</b> with the trapdoor {@code R} of {@link GadgetTrapdoor}:
 * <pre>    y^T = c^T [R; I] = s^T G + ε^T,   ε^T = x^T [R; I],   x = p·e + b short   — eq. (2), corrected</pre>
 * each gadget block of {@code y} is decoded with {@code S_k} ({@link Gadget#decode}), which yields
 * {@code s}; then {@code x = c − s^T A} and {@code b = x mod± p}. With the parameter sets of
 * {@link TrapdoorParameters} the worst-case {@code ‖ε‖∞} is inside the decoding radius, so an honest
 * ciphertext always decrypts. A ciphertext whose {@code x} is not short is rejected.
 */
public final class TrapdoorLwe {

    private final TrapdoorParameters parameters;

    public TrapdoorLwe(TrapdoorParameters parameters) {
        this.parameters = parameters;
    }

    public TrapdoorParameters parameters() {
        return parameters;
    }

    public GadgetTrapdoor generateKeys(RandomSource random) {
        return GadgetTrapdoor.generate(parameters, random);
    }

    /** Encrypts {@code plaintext ∈ [0, p)^{mN}}. */
    public TrapdoorCiphertext encrypt(TrapdoorPublicKey publicKey, long[] plaintext, RandomSource random) {
        requireOwnParameters(publicKey.parameters());
        checkPlaintext(plaintext);
        Ring ring = parameters.ring();
        long q = ring.modulus().value();
        int p = parameters.plaintextModulus();
        long[] c = new BoundedUniform(parameters.eta()).samples(parameters.plaintextLength(), random);
        for (int i = 0; i < c.length; i++) {
            long b = plaintext[i] > p / 2 ? plaintext[i] - p : plaintext[i];
            long x = p * c[i] + b;
            c[i] = x + ((x >> 63) & q);
        }
        PolyVector s = UniformSampler.vector(ring, parameters.rank(), random);
        addInto(c, publicKey.times(s).coefficients(), q);
        return new TrapdoorCiphertext(parameters, PolyVector.ofCoefficients(ring, c));
    }

    private static void addInto(long[] acc, long[] residues, long q) {
        for (int i = 0; i < acc.length; i++) {
            long v = acc[i] + residues[i] - q;
            acc[i] = v + ((v >> 63) & q);
        }
    }

    /** Decrypts with the trapdoor; throws {@link DecryptionException} for a ciphertext that is not honest. */
    public long[] decrypt(GadgetTrapdoor trapdoor, TrapdoorCiphertext ciphertext) {
        requireOwnParameters(trapdoor.parameters());
        requireOwnParameters(ciphertext.parameters());
        PolyVector c = ciphertext.c();
        PolyVector s = recoverSecret(trapdoor, c);
        long[] b = c.coefficients();
        long[] sA = trapdoor.publicKey().times(s).coefficients();
        long q = parameters.ring().modulus().value();
        long half = q >> 1;
        long bound = parameters.errorBound();
        int p = parameters.plaintextModulus();
        for (int i = 0; i < b.length; i++) {
            // x = (c − s^T A) mod± q, which must be short; then b = x mod p
            long x = b[i] - sA[i];
            x += q & (x >> 63);
            x -= q & ((half - x) >> 63);
            if (x > bound || x < -bound) {
                throw new DecryptionException("c − s^T A is not short: not an honest ciphertext");
            }
            b[i] = Math.floorMod(x, p);
        }
        return b;
    }

    /** {@code s} from {@code y = c^T [R; I] = s^T G + ε^T}, block by block and coefficient by coefficient. */
    private PolyVector recoverSecret(GadgetTrapdoor trapdoor, PolyVector c) {
        long[] y = trapdoor.applyTrapdoor(c).coefficients();
        int n = parameters.rank();
        int k = parameters.gadgetLength();
        int d = parameters.ring().degree();
        Gadget gadget = parameters.gadget();
        long[] s = new long[n * d];
        try {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < d; t++) {
                    s[i * d + t] = gadget.decode(y, i * k * d + t, d);
                }
            }
        } catch (ArithmeticException e) {
            throw new DecryptionException("gadget decoding failed: " + e.getMessage());
        }
        return PolyVector.ofCoefficients(parameters.ring(), s);
    }

    private void checkPlaintext(long[] plaintext) {
        if (plaintext.length != parameters.plaintextLength()) {
            throw new IllegalArgumentException("plaintext must have " + parameters.plaintextLength() + " symbols");
        }
        for (long v : plaintext) {
            if (v < 0 || v >= parameters.plaintextModulus()) {
                throw new IllegalArgumentException("plaintext symbol out of [0, p): " + v);
            }
        }
    }

    /** {@code v mod± p} in {@code (-p/2, p/2]}, so that {@code |x| ≤ pη + ⌊p/2⌋}. */
    static long centeredModP(long v, int p) {
        long r = Math.floorMod(v, p);
        return r > p / 2 ? r - p : r;
    }

    private void requireOwnParameters(TrapdoorParameters other) {
        if (other != parameters) {
            throw new IllegalArgumentException("key or ciphertext for " + other.name() + ", scheme is " + parameters.name());
        }
    }
}
