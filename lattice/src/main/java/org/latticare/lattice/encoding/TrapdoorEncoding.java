package org.latticare.lattice.encoding;

import java.nio.ByteBuffer;
import org.latticare.lattice.encoding.WireFormat.Type;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.trapdoor.GadgetTrapdoor;
import org.latticare.lattice.trapdoor.TrapdoorCiphertext;
import org.latticare.lattice.trapdoor.TrapdoorParameters;
import org.latticare.lattice.trapdoor.TrapdoorPublicKey;

/**
 * Canonical encodings of trapdoor-LWE objects in {@link WireFormat} frames.
 * <ul>
 *   <li>public key: seed of {@code Â} (32 bytes) ‖ {@code A_2} residues at {@code ⌈log2 q⌉} bits</li>
 *   <li>private key: encoded public key (length-prefixed) ‖ {@code R} at {@code ⌈log2(2η+1)⌉} bits;
 *       decoding re-checks {@code A·S_A ≡ 0}, so a key whose halves do not match is refused</li>
 *   <li>ciphertext: {@code c} residues at {@code ⌈log2 q⌉} bits</li>
 * </ul>
 * Sizes match {@link TrapdoorParameters#publicKeyBytes()} and friends.
 */
public final class TrapdoorEncoding {

    private TrapdoorEncoding() {
    }

    public static byte[] encodePublicKey(TrapdoorPublicKey key) {
        TrapdoorParameters p = key.parameters();
        int bits = p.ring().modulus().bitLength();
        long[] a2 = key.a2().coefficients();
        ByteBuffer out = WireFormat.begin(Type.TRAPDOOR_PUBLIC_KEY, p.id(), 32 + WireFormat.packedBytes(a2.length, bits));
        out.put(key.seed());
        WireFormat.packResidues(out, a2, bits);
        return out.array();
    }

    public static TrapdoorPublicKey decodePublicKey(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        TrapdoorParameters p = parameters(WireFormat.open(in, Type.TRAPDOOR_PUBLIC_KEY));
        Ring ring = p.ring();
        int bits = ring.modulus().bitLength();
        int count = p.rank() * p.gadgetColumns() * ring.degree();
        WireFormat.expectBody(in, 32 + WireFormat.packedBytes(count, bits), "trapdoor public key");
        byte[] seed = new byte[32];
        in.get(seed);
        long[] a2 = WireFormat.unpackResidues(in, count, bits, ring.modulus().value());
        WireFormat.close(in);
        return new TrapdoorPublicKey(p, seed, PolyMatrix.ofCoefficients(ring, p.rank(), p.gadgetColumns(), a2));
    }

    public static byte[] encodePrivateKey(GadgetTrapdoor trapdoor) {
        TrapdoorParameters p = trapdoor.parameters();
        byte[] publicKey = encodePublicKey(trapdoor.publicKey());
        long[] r = trapdoor.trapdoor().centeredCoefficients();
        ByteBuffer out = WireFormat.begin(Type.TRAPDOOR_PRIVATE_KEY, p.id(),
                4 + publicKey.length + WireFormat.packedBytes(r.length, WireFormat.shortBits(p.eta())));
        out.putInt(publicKey.length).put(publicKey);
        WireFormat.packShort(out, r, p.eta());
        return out.array();
    }

    public static GadgetTrapdoor decodePrivateKey(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        TrapdoorParameters p = parameters(WireFormat.open(in, Type.TRAPDOOR_PRIVATE_KEY));
        Ring ring = p.ring();
        int count = p.trapdoorRows() * p.gadgetColumns() * ring.degree();
        if (in.remaining() < 4) {
            throw new MalformedEncodingException("truncated private key");
        }
        int publicLength = in.getInt();
        int expected = p.publicKeyBytes();
        if (publicLength != expected) {
            throw new MalformedEncodingException("embedded public key must be " + expected + " bytes, says " + publicLength);
        }
        WireFormat.expectBody(in, publicLength + WireFormat.packedBytes(count, WireFormat.shortBits(p.eta())), "trapdoor private key");
        byte[] publicBytes = new byte[publicLength];
        in.get(publicBytes);
        TrapdoorPublicKey publicKey = decodePublicKey(publicBytes);
        if (publicKey.parameters() != p) {
            throw new MalformedEncodingException("embedded public key is for " + publicKey.parameters().name());
        }
        long[] r = WireFormat.unpackShort(in, count, p.eta());
        WireFormat.close(in);
        try {
            return GadgetTrapdoor.of(publicKey, PolyMatrix.ofCoefficients(ring, p.trapdoorRows(), p.gadgetColumns(), r));
        } catch (IllegalStateException e) {
            throw new MalformedEncodingException("trapdoor does not match the public key: " + e.getMessage());
        }
    }

    public static byte[] encodeCiphertext(TrapdoorCiphertext ciphertext) {
        TrapdoorParameters p = ciphertext.parameters();
        int bits = p.ring().modulus().bitLength();
        long[] c = ciphertext.c().coefficients();
        ByteBuffer out = WireFormat.begin(Type.TRAPDOOR_CIPHERTEXT, p.id(), WireFormat.packedBytes(c.length, bits));
        WireFormat.packResidues(out, c, bits);
        return out.array();
    }

    public static TrapdoorCiphertext decodeCiphertext(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        TrapdoorParameters p = parameters(WireFormat.open(in, Type.TRAPDOOR_CIPHERTEXT));
        Ring ring = p.ring();
        int bits = ring.modulus().bitLength();
        int count = p.columns() * ring.degree();
        WireFormat.expectBody(in, WireFormat.packedBytes(count, bits), "trapdoor ciphertext");
        long[] c = WireFormat.unpackResidues(in, count, bits, ring.modulus().value());
        WireFormat.close(in);
        return new TrapdoorCiphertext(p, PolyVector.ofCoefficients(ring, c));
    }

    private static TrapdoorParameters parameters(int id) {
        try {
            return TrapdoorParameters.byId(id);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(e.getMessage());
        }
    }
}
