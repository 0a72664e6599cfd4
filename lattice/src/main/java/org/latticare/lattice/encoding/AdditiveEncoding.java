package org.latticare.lattice.encoding;

import java.nio.ByteBuffer;
import org.latticare.lattice.additive.AdditiveCiphertext;
import org.latticare.lattice.additive.PartialDecryption;
import org.latticare.lattice.additive.RingLweAdditive;
import org.latticare.lattice.additive.RingLweParameters;
import org.latticare.lattice.additive.StudyPublicKey;
import org.latticare.lattice.encoding.WireFormat.Type;
import org.latticare.lattice.ring.Poly;
import org.latticare.lattice.ring.Ring;

/**
 * Canonical encodings of the additive scheme's public objects in {@link WireFormat} frames:
 * ciphertext {@code records (4 bytes) ‖ c_0 ‖ c_1}, study key {@code parties (4) ‖ seed (32) ‖ b}
 * ({@code a} is re-expanded from the seed), partial decryption {@code party (4) ‖ d}.
 */
public final class AdditiveEncoding {

    private AdditiveEncoding() {
    }

    public static byte[] encodeCiphertext(AdditiveCiphertext c) {
        RingLweParameters p = c.parameters();
        int bits = p.ring().modulus().bitLength();
        int polyBytes = WireFormat.packedBytes(p.ring().degree(), bits);
        ByteBuffer out = WireFormat.begin(Type.ADDITIVE_CIPHERTEXT, p.id(), 4 + 2 * polyBytes);
        out.putInt(c.records());
        WireFormat.packResidues(out, c.c0().coefficients(), bits);
        WireFormat.packResidues(out, c.c1().coefficients(), bits);
        return out.array();
    }

    public static AdditiveCiphertext decodeCiphertext(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        RingLweParameters p = parameters(WireFormat.open(in, Type.ADDITIVE_CIPHERTEXT));
        Ring ring = p.ring();
        int bits = ring.modulus().bitLength();
        WireFormat.expectBody(in, 4 + 2 * WireFormat.packedBytes(ring.degree(), bits), "additive ciphertext");
        int records = in.getInt();
        if (records < 1 || records > p.maxAdditions()) {
            throw new MalformedEncodingException("record count " + records + " out of [1, " + p.maxAdditions() + "]");
        }
        Poly c0 = poly(in, ring);
        Poly c1 = poly(in, ring);
        WireFormat.close(in);
        return new AdditiveCiphertext(p, c0, c1, records);
    }

    public static byte[] encodeStudyKey(StudyPublicKey key) {
        RingLweParameters p = key.parameters();
        int bits = p.ring().modulus().bitLength();
        ByteBuffer out = WireFormat.begin(Type.STUDY_PUBLIC_KEY, p.id(), 4 + 32 + WireFormat.packedBytes(p.ring().degree(), bits));
        out.putInt(key.parties()).put(key.seed());
        WireFormat.packResidues(out, key.b().coefficients(), bits);
        return out.array();
    }

    public static StudyPublicKey decodeStudyKey(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        RingLweParameters p = parameters(WireFormat.open(in, Type.STUDY_PUBLIC_KEY));
        Ring ring = p.ring();
        WireFormat.expectBody(in, 4 + 32 + WireFormat.packedBytes(ring.degree(), ring.modulus().bitLength()), "study key");
        int parties = in.getInt();
        if (parties < 0 || parties > p.maxParties()) {
            throw new MalformedEncodingException("party count " + parties + " out of [0, " + p.maxParties() + "]");
        }
        byte[] seed = new byte[32];
        in.get(seed);
        Poly b = poly(in, ring);
        WireFormat.close(in);
        StudyPublicKey empty = new RingLweAdditive(p).emptyKey(seed);
        return new StudyPublicKey(p, seed, empty.a(), b, parties);
    }

    public static byte[] encodePartialDecryption(RingLweParameters p, PartialDecryption d) {
        int bits = p.ring().modulus().bitLength();
        ByteBuffer out = WireFormat.begin(Type.PARTIAL_DECRYPTION, p.id(), 4 + WireFormat.packedBytes(p.ring().degree(), bits));
        out.putInt(d.party());
        WireFormat.packResidues(out, d.share().coefficients(), bits);
        return out.array();
    }

    public static PartialDecryption decodePartialDecryption(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        RingLweParameters p = parameters(WireFormat.open(in, Type.PARTIAL_DECRYPTION));
        Ring ring = p.ring();
        WireFormat.expectBody(in, 4 + WireFormat.packedBytes(ring.degree(), ring.modulus().bitLength()), "partial decryption");
        int party = in.getInt();
        if (party < 0 || party >= p.maxParties()) {
            throw new MalformedEncodingException("party index " + party + " out of range");
        }
        Poly d = poly(in, ring);
        WireFormat.close(in);
        return new PartialDecryption(party, d);
    }

    private static Poly poly(ByteBuffer in, Ring ring) {
        return Poly.of(ring, WireFormat.unpackResidues(in, ring.degree(), ring.modulus().bitLength(), ring.modulus().value()));
    }

    private static RingLweParameters parameters(int id) {
        try {
            return RingLweParameters.byId(id);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(e.getMessage());
        }
    }
}
