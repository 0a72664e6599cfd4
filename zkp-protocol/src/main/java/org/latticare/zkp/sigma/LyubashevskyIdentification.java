package org.latticare.zkp.sigma;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.SampleInBall;
import org.latticare.zkp.wire.Frame;

/**
 * The one Σ-protocol behind the ring identification, the non-interactive proof and the simulator:
 * Lyubashevsky's identification ("Fiat–Shamir with aborts", Asiacrypt 2009 / Eurocrypt 2012) over
 * {@code [A | I]}, in the roles of the paper's E1, E3 and E4 (its equations (4), (8), (9)):
 * <ul>
 *   <li>E1: mask {@code y ← [−γ, γ]^m}, commitment {@code u = [A | I] y = A y1 + y2};</li>
 *   <li>E3: {@code z = y + S c}, withheld (the round restarts) when {@code ‖z‖∞ > γ − β}, so that an
 *       accepted {@code z} is uniform on {@code [−(γ−β), γ−β]^m} whatever S is;</li>
 *   <li>E4: accept iff {@code ‖z‖∞ ≤ γ − β} and {@code [A | I] z − T c = u (mod q)}.</li>
 * </ul>
 */
public final class LyubashevskyIdentification {

    /** The prover's E1 state: secret mask {@code y} and public commitment {@code u}. */
    public record Mask(PolyVector y, PolyVector u) {
        @Override
        public String toString() {
            return "Mask[u only]";
        }
    }

    /** Result of the E4 check. */
    public enum Check {
        ACCEPTED,
        WRONG_DIMENSION,
        NORM_BOUND,
        EQUATION
    }

    private LyubashevskyIdentification() {
    }

    /** E1: a fresh mask and {@code u = [A | I] y}. */
    public static Mask commit(IdentityPublicKey key, RandomSource random) {
        IdentificationParameters p = key.parameters();
        PolyVector y = mask(p, p.witnessLength(), random);
        return new Mask(y, image(key, y));
    }

    /**
     * A mask uniform on {@code [−γ, γ]^{length·N}} over {@code R_q}: E1's {@code y} ({@code length = m}),
     * or the non-interactive proof's {@code y1} ({@code length = l}).
     */
    public static PolyVector mask(IdentificationParameters p, int length, RandomSource random) {
        return PolyVector.ofCoefficients(p.ring(), mask(length * p.degree(), p.gamma(), random));
    }

    /** {@code [A | I] v = A v1 + v2} for {@code v = (v1; v2)}, without materialising the identity. */
    public static PolyVector image(IdentityPublicKey key, PolyVector v) {
        int l = key.parameters().columns();
        return key.a().multiply(v.slice(0, l)).add(v.slice(l, v.length()));
    }

    /** E3: {@code z = y + S c}, or empty when rejection sampling says restart. */
    public static Optional<PolyVector> respond(IdentitySecretKey secret, Mask mask, PolyVector c) {
        PolyVector z = mask.y().add(secret.s().multiply(c));
        return z.infinityNorm() <= secret.parameters().responseBound() ? Optional.of(z) : Optional.empty();
    }

    /** E4. */
    public static Check check(IdentityPublicKey key, PolyVector u, PolyVector c, PolyVector z) {
        IdentificationParameters p = key.parameters();
        if (!shaped(p, z, p.witnessLength()) || !shaped(p, u, p.rows()) || !shaped(p, c, p.challengeLength())) {
            return Check.WRONG_DIMENSION;
        }
        if (z.infinityNorm() > p.responseBound()) {
            return Check.NORM_BOUND;
        }
        return recompute(key, c, z).equals(u) ? Check.ACCEPTED : Check.EQUATION;
    }

    /** {@code [A | I] z − T c}: what {@code u} must be. */
    public static PolyVector recompute(IdentityPublicKey key, PolyVector c, PolyVector z) {
        return image(key, z).subtract(key.t().multiply(c));
    }

    /** The challenge {@code c = SampleInBall(seed) ∈ R_q^ℓ}: κ coefficients ±1 over ℓ·N positions. */
    public static PolyVector challenge(IdentificationParameters p, byte[] seed) {
        return SampleInBall.vector(p.ring(), p.challengeLength(), p.weight(), seed);
    }

    public static boolean shaped(IdentificationParameters p, PolyVector v, int length) {
        return v != null && v.ring().equals(p.ring()) && v.length() == length;
    }

    /** Canonical bytes of a vector of residues (what challenge hashes absorb). */
    public static byte[] residueBytes(Ring ring, PolyVector v) {
        ByteBuffer out = ByteBuffer.allocate(Frame.residueBytes(ring, v.length() * ring.degree()));
        Frame.putResidues(out, ring, v.coefficients());
        return out.array();
    }

    /** SHAKE-256 of a domain label and length-prefixed parts, 32 bytes: every challenge seed. */
    public static byte[] hash(String domain, byte[]... parts) {
        SHAKEDigest shake = new SHAKEDigest(256);
        byte[] label = domain.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        absorb(shake, label);
        for (byte[] part : parts) {
            absorb(shake, part);
        }
        byte[] out = new byte[32];
        shake.doFinal(out, 0, out.length);
        return out;
    }

    private static void absorb(SHAKEDigest shake, byte[] part) {
        int n = part.length;
        shake.update((byte) (n >>> 24));
        shake.update((byte) (n >>> 16));
        shake.update((byte) (n >>> 8));
        shake.update((byte) n);
        shake.update(part, 0, n);
    }

    /**
     * Uniform coefficients in {@code [−γ, γ]}: 32-bit draws accepted below the largest multiple of
     * {@code 2γ+1} (rejection probability below {@code 2^-11} for γ = 2^19), then reduced.
     */
    static long[] mask(int count, long gamma, RandomSource random) {
        long range = 2 * gamma + 1;
        long limit = (1L << 32) - (1L << 32) % range;
        byte[] block = new byte[4 * count + 64];
        long[] out = new long[count];
        int filled = 0;
        while (filled < count) {
            random.nextBytes(block);
            for (int i = 0; i + 4 <= block.length && filled < count; i += 4) {
                long v = (block[i] & 0xffL) | (block[i + 1] & 0xffL) << 8 | (block[i + 2] & 0xffL) << 16
                        | (block[i + 3] & 0xffL) << 24;
                if (v < limit) {
                    out[filled++] = v % range - gamma;
                }
            }
        }
        return out;
    }
}
