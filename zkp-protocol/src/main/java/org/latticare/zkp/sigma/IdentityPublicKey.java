package org.latticare.zkp.sigma;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.sample.UniformSampler;
import org.latticare.zkp.wire.Decoded;
import org.latticare.zkp.wire.Frame;

/**
 * A patient's public identity {@code (seed of A, T = A S1 + S2)}. {@code A} is expanded from the seed
 * once per key object and cached; {@link #digest()} is the 64-byte SHAKE-256 of the encoding (ML-DSA's
 * {@code tr}), which is how {@code A} and {@code T} enter every challenge hash.
 */
public final class IdentityPublicKey {

    public static final int DIGEST_BYTES = 64;

    private final IdentificationParameters parameters;
    private final byte[] seed;
    private final PolyMatrix t;
    private volatile PolyMatrix a;
    private volatile byte[] digest;

    public IdentityPublicKey(IdentificationParameters parameters, byte[] seed, PolyMatrix t) {
        this(parameters, seed, t, null);
    }

    /** With {@code a} already expanded from {@code seed} (key generation), so it is not expanded twice. */
    IdentityPublicKey(IdentificationParameters parameters, byte[] seed, PolyMatrix t, PolyMatrix a) {
        this.parameters = Objects.requireNonNull(parameters);
        if (seed.length != UniformSampler.SEED_BYTES) {
            throw new IllegalArgumentException("seed of A must be " + UniformSampler.SEED_BYTES + " bytes");
        }
        if (!t.ring().equals(parameters.ring()) || t.rows() != parameters.rows() || t.cols() != parameters.challengeLength()) {
            throw new IllegalArgumentException("T must be " + parameters.rows() + "×" + parameters.challengeLength()
                    + " over " + parameters.ring());
        }
        this.seed = seed.clone();
        this.t = t;
        this.a = a;
    }

    public IdentificationParameters parameters() {
        return parameters;
    }

    public byte[] seed() {
        return seed.clone();
    }

    public PolyMatrix t() {
        return t;
    }

    /** {@code A ∈ R_q^{k×l}}, expanded from the seed with SHAKE-128. */
    public PolyMatrix a() {
        PolyMatrix m = a;
        if (m == null) {
            m = UniformSampler.expand(parameters.ring(), parameters.rows(), parameters.columns(), seed);
            a = m;
        }
        return m;
    }

    public byte[] digest() {
        byte[] d = digest;
        if (d == null) {
            byte[] encoded = encode();
            SHAKEDigest shake = new SHAKEDigest(256);
            shake.update(encoded, 0, encoded.length);
            d = new byte[DIGEST_BYTES];
            shake.doFinal(d, 0, DIGEST_BYTES);
            digest = d;
        }
        return d.clone();
    }

    public byte[] encode() {
        int tCoefficients = parameters.rows() * parameters.challengeLength() * parameters.degree();
        ByteBuffer out = Frame.begin(Frame.Type.IDENTITY_PUBLIC_KEY, parameters.id(),
                seed.length + Frame.residueBytes(parameters.ring(), tCoefficients));
        out.put(seed);
        Frame.putResidues(out, parameters.ring(), t.coefficients());
        return out.array();
    }

    public static Decoded<IdentityPublicKey> decode(IdentificationParameters parameters, byte[] bytes) {
        return Decoded.parse(bytes, in -> {
            Frame.expect(Frame.open(in, parameters.id()), Frame.Type.IDENTITY_PUBLIC_KEY);
            byte[] seed = Frame.getBytes(in, UniformSampler.SEED_BYTES);
            PolyMatrix t = Frame.getMatrix(in, parameters.ring(), parameters.rows(), parameters.challengeLength());
            return new IdentityPublicKey(parameters, seed, t);
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityPublicKey k && k.parameters.equals(parameters) && Arrays.equals(k.seed, seed)
                && k.t.equals(t);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seed) * 31 + t.hashCode();
    }
}
