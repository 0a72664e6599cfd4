package org.latticare.lattice.sample;

import org.latticare.lattice.ring.Modulus;
import org.latticare.lattice.ring.Poly;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;

/**
 * Uniform elements of {@code Z_q}, {@code R_q} and their vectors and matrices, by rejection: read
 * {@code ⌈log2 q⌉} bits, keep the value if it is below {@code q}. Public matrices come from a 32-byte
 * seed through SHAKE-128 ({@link #expand}), so a key carries the seed instead of the matrix.
 */
public final class UniformSampler {

    public static final int SEED_BYTES = 32;

    private UniformSampler() {
    }

    public static long residue(Modulus modulus, RandomSource random) {
        return random.nextBelow(modulus.value());
    }

    /** {@code count} uniform residues, candidates read in blocks of bytes rather than byte by byte. */
    public static long[] residues(Modulus modulus, int count, RandomSource random) {
        long q = modulus.value();
        int bits = modulus.bitLength();
        int bytesPerCandidate = (bits + 7) / 8;
        long mask = (1L << bits) - 1;
        long[] out = new long[count];
        byte[] block = new byte[bytesPerCandidate * Math.min(count + 8, 1024)];
        int filled = 0;
        while (filled < count) {
            random.nextBytes(block);
            for (int off = 0; off < block.length && filled < count; off += bytesPerCandidate) {
                long v = 0;
                for (int b = 0; b < bytesPerCandidate; b++) {
                    v |= (long) (block[off + b] & 0xff) << (8 * b);
                }
                v &= mask;
                if (v < q) {
                    out[filled++] = v;
                }
            }
        }
        return out;
    }

    public static Poly poly(Ring ring, RandomSource random) {
        return Poly.of(ring, residues(ring.modulus(), ring.degree(), random));
    }

    public static PolyVector vector(Ring ring, int length, RandomSource random) {
        return PolyVector.ofCoefficients(ring, residues(ring.modulus(), length * ring.degree(), random));
    }

    public static PolyMatrix matrix(Ring ring, int rows, int cols, RandomSource random) {
        return PolyMatrix.ofCoefficients(ring, rows, cols, residues(ring.modulus(), rows * cols * ring.degree(), random));
    }

    /**
     * The uniform matrix {@code A ∈ R_q^{rows×cols}} expanded from a public 32-byte seed: SHAKE-128 of
     * {@code seed ‖ rows ‖ cols ‖ N ‖ q}, read row-major by rejection. The shape and ring are hashed
     * in so that one seed never yields related matrices for two different parameter sets.
     */
    public static PolyMatrix expand(Ring ring, int rows, int cols, byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        byte[] input = new byte[SEED_BYTES + 20];
        System.arraycopy(seed, 0, input, 0, SEED_BYTES);
        putInt(input, SEED_BYTES, rows);
        putInt(input, SEED_BYTES + 4, cols);
        putInt(input, SEED_BYTES + 8, ring.degree());
        long q = ring.modulus().value();
        putInt(input, SEED_BYTES + 12, (int) (q >>> 32));
        putInt(input, SEED_BYTES + 16, (int) q);
        return matrix(ring, rows, cols, RandomSource.shake128(input));
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
