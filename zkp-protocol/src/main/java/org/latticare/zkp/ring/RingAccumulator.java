package org.latticare.zkp.ring;

import java.util.List;

import org.bouncycastle.crypto.digests.SHA3Digest;

/**
 * The E2 accumulation of the sound protocol, the paper's hop-by-hop summation (5)–(7) made a hash
 * chain: {@code E2_{-1} = 0^32} and {@code E2_i = SHA3-256(E2_{i−1} ‖ i ‖ V_i)} with {@code i} the
 * 0-based ring position as 4 bytes big-endian and {@code V_i} the hop's fresh 32-byte contribution.
 * The one fold of the project: the verifier actors' ring passes use it too.
 */
public final class RingAccumulator {

    public static final int BYTES = 32;
    public static final int CONTRIBUTION_BYTES = 32;

    private RingAccumulator() {
    }

    public static byte[] initial() {
        return new byte[BYTES];
    }

    public static byte[] fold(byte[] accumulator, int index, byte[] contribution) {
        SHA3Digest sha3 = new SHA3Digest(256);
        sha3.update(accumulator, 0, accumulator.length);
        sha3.update((byte) (index >>> 24));
        sha3.update((byte) (index >>> 16));
        sha3.update((byte) (index >>> 8));
        sha3.update((byte) index);
        sha3.update(contribution, 0, contribution.length);
        byte[] out = new byte[BYTES];
        sha3.doFinal(out, 0);
        return out;
    }

    /** {@code E2} after all the given openings, folded in list order. */
    public static byte[] foldAll(List<RingChallengeIdentification.Reveal> reveals) {
        byte[] acc = initial();
        for (RingChallengeIdentification.Reveal reveal : reveals) {
            acc = fold(acc, reveal.index(), reveal.contribution());
        }
        return acc;
    }
}
