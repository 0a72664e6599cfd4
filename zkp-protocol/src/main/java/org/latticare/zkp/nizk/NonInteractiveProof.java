package org.latticare.zkp.nizk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.latticare.zkp.sigma.LyubashevskyIdentification.Mask;
import org.latticare.zkp.wire.Decoded;
import org.latticare.zkp.wire.Frame;

/**
 * The paper's outlook made concrete (CRYPTO.md section 3, "Non-interactive variant"): the ring's
 * challenge replaced by Fiat–Shamir, {@code c = SampleInBall(H(tr ‖ u ‖ context))} with
 * {@code tr = H(A-seed ‖ T)} ({@link IdentityPublicKey#digest()}), so the proof {@code (c̃, z)} — c̃ the
 * 32-byte challenge seed, {@code z = y + S c} after rejection sampling — is posted and checked by
 * anyone: recompute {@code u = [A | I] z − T c}, check {@code ‖z‖∞ ≤ γ − β} and
 * {@code H(tr ‖ u ‖ context) = c̃}. An ML-DSA-style proof of knowledge of S without ML-DSA's
 * high-bits compression, so {@code z} carries all {@code m = l + k} entries.
 *
 * <p>Encoding (frame type {@code PROOF}, version 1): {@code c̃ (32) ‖ z} with the m·N coefficients
 * stored as {@code z_i + (γ − β)} at {@code ⌈log2(2(γ−β)+1)⌉} bits, little-endian packed, zero padding.
 */
public final class NonInteractiveProof {

    private static final String DOMAIN = "latticare/zkp/nizk/v1";

    /** The proof {@code (c̃, z)}. */
    public record Proof(IdentificationParameters parameters, byte[] challengeSeed, PolyVector z) {
        public Proof {
            Objects.requireNonNull(parameters);
            if (challengeSeed.length != 32) {
                throw new IllegalArgumentException("challenge seed must be 32 bytes");
            }
            challengeSeed = challengeSeed.clone();
        }

        @Override
        public byte[] challengeSeed() {
            return challengeSeed.clone();
        }

        /** The challenge {@code c = SampleInBall(c̃)}. */
        public PolyVector challenge() {
            return LyubashevskyIdentification.challenge(parameters, challengeSeed);
        }

        public byte[] encode() {
            int coefficients = parameters.witnessLength() * parameters.degree();
            ByteBuffer out = Frame.begin(Frame.Type.PROOF, parameters.id(),
                    32 + Frame.shortBytes(coefficients, parameters.responseBound()));
            out.put(challengeSeed);
            Frame.putShort(out, z.centeredCoefficients(), parameters.responseBound());
            return out.array();
        }

        public static Decoded<Proof> decode(IdentificationParameters p, byte[] bytes) {
            return Decoded.parse(bytes, in -> {
                Frame.expect(Frame.open(in, p.id()), Frame.Type.PROOF);
                byte[] seed = Frame.getBytes(in, 32);
                long[] z = Frame.getShort(in, p.witnessLength() * p.degree(), p.responseBound());
                return new Proof(p, seed, PolyVector.ofCoefficients(p.ring(), z));
            });
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Proof other && other.parameters.equals(parameters)
                    && Arrays.equals(other.challengeSeed, challengeSeed) && other.z.equals(z);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(challengeSeed) * 31 + z.hashCode();
        }
    }

    /** A proof and how many attempts rejection sampling took to produce it. */
    public record Proved(Proof proof, int attempts) {
    }

    private NonInteractiveProof() {
    }

    public static Proved prove(IdentityKeyPair keys, byte[] context, RandomSource random) {
        IdentityPublicKey key = keys.publicKey();
        byte[] tr = key.digest();
        for (int attempt = 1; ; attempt++) {
            Mask mask = LyubashevskyIdentification.commit(key, random);
            byte[] seed = challengeSeed(key, tr, mask.u(), context);
            PolyVector c = LyubashevskyIdentification.challenge(key.parameters(), seed);
            Optional<PolyVector> z = LyubashevskyIdentification.respond(keys.secretKey(), mask, c);
            if (z.isPresent()) {
                return new Proved(new Proof(key.parameters(), seed, z.get()), attempt);
            }
        }
    }

    public static boolean verify(IdentityPublicKey key, byte[] context, Proof proof) {
        IdentificationParameters p = key.parameters();
        if (proof == null || !proof.parameters().equals(p) || !LyubashevskyIdentification.shaped(p, proof.z(), p.witnessLength())
                || proof.z().infinityNorm() > p.responseBound()) {
            return false;
        }
        PolyVector u = LyubashevskyIdentification.recompute(key, proof.challenge(), proof.z());
        return Arrays.equals(challengeSeed(key, key.digest(), u, context), proof.challengeSeed);
    }

    /** Decodes and verifies; any malformed encoding is simply a proof that does not verify. */
    public static boolean verify(IdentityPublicKey key, byte[] context, byte[] encodedProof) {
        Decoded<Proof> decoded = Proof.decode(key.parameters(), encodedProof);
        return decoded instanceof Decoded.Success<Proof> s && verify(key, context, s.value());
    }

    private static byte[] challengeSeed(IdentityPublicKey key, byte[] tr, PolyVector u, byte[] context) {
        return LyubashevskyIdentification.hash(DOMAIN, tr, LyubashevskyIdentification.residueBytes(key.parameters().ring(), u),
                Objects.requireNonNull(context));
    }
}
