package org.latticare.zkp.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.latticare.lattice.encoding.WireFormat;
import org.latticare.lattice.ring.PolyMatrix;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.zkp.protocol.Refusal;

/**
 * The frame of every zkp-protocol encoding, the same layout as lattice's {@link WireFormat} (whose type
 * tags are a closed enum, hence this twin with the zkp tags):
 * <pre>
 *   byte 0      format version (1)
 *   byte 1      type tag ({@link Type})
 *   byte 2      parameter-set id
 *   byte 3      reserved, 0
 *   bytes 4..7  body length, big-endian, must equal the bytes that follow
 * </pre>
 * Field helpers below are strict so that every object has exactly one encoding: residues must be
 * below q, short coefficients inside their bound, padding bits zero, strings valid UTF-8, booleans 0
 * or 1. Violations throw {@link DecodingException}, which the public decoders turn into a
 * {@link Decoded.Failure}.
 */
public final class Frame {

    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;
    public static final int MAX_SESSION_BYTES = 128;

    /** Type tags, disjoint from lattice's (1..7). Never renumber: they are on the wire and on chain. */
    public enum Type {
        IDENTITY_PUBLIC_KEY(0x41),
        COMMITMENT(0x42),
        RING_PASS(0x43),
        CHALLENGE_ISSUED(0x44),
        RESPONSE(0x45),
        VERDICT(0x46),
        /** {@code (c̃, z)} with z in full: the first non-interactive proof, no longer produced nor accepted. */
        PROOF(0x47),
        /** {@code (c̃, z1)}: the non-interactive proof with ML-DSA's high-bits compression. */
        COMPRESSED_PROOF(0x48);

        public final int tag;

        Type(int tag) {
            this.tag = tag;
        }

        public static Type ofTag(int tag) {
            for (Type t : values()) {
                if (t.tag == tag) {
                    return t;
                }
            }
            return null;
        }
    }

    private Frame() {
    }

    public static ByteBuffer begin(Type type, int parameterId, int bodyBytes) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + bodyBytes);
        out.put((byte) VERSION).put((byte) type.tag).put((byte) parameterId).put((byte) 0).putInt(bodyBytes);
        return out;
    }

    /** Reads and checks the header; returns the type; leaves the buffer at the body. */
    public static Type open(ByteBuffer in, int expectedParameterId) {
        if (in.remaining() < HEADER_BYTES) {
            throw new DecodingException(Refusal.MALFORMED, "truncated: " + in.remaining() + " bytes, header needs " + HEADER_BYTES);
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new DecodingException(Refusal.MALFORMED, "unsupported format version " + version);
        }
        int tag = in.get() & 0xff;
        Type type = Type.ofTag(tag);
        if (type == null) {
            throw new DecodingException(Refusal.MALFORMED, "unknown type tag " + tag);
        }
        int parameterId = in.get() & 0xff;
        if (parameterId != expectedParameterId) {
            throw new DecodingException(Refusal.MALFORMED, "parameter set " + parameterId + ", expected " + expectedParameterId);
        }
        if (in.get() != 0) {
            throw new DecodingException(Refusal.MALFORMED, "reserved header byte is not zero");
        }
        int length = in.getInt();
        if (length != in.remaining()) {
            throw new DecodingException(Refusal.MALFORMED, "body length field says " + length + ", " + in.remaining() + " bytes follow");
        }
        return type;
    }

    public static void expect(Type actual, Type expected) {
        if (actual != expected) {
            throw new DecodingException(Refusal.MALFORMED, "expected " + expected + ", found " + actual);
        }
    }

    public static void close(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new DecodingException(Refusal.MALFORMED, in.remaining() + " trailing bytes");
        }
    }

    // ---- fields ----

    public static int sessionBytes(String session) {
        return 1 + session.getBytes(StandardCharsets.UTF_8).length;
    }

    public static void putSession(ByteBuffer out, String session) {
        byte[] b = session.getBytes(StandardCharsets.UTF_8);
        out.put((byte) b.length).put(b);
    }

    public static String getSession(ByteBuffer in) {
        int length = getUnsignedByte(in);
        if (length == 0 || length > MAX_SESSION_BYTES) {
            throw new DecodingException(Refusal.OUT_OF_RANGE, "session id length " + length + " not in [1, " + MAX_SESSION_BYTES + "]");
        }
        byte[] b = getBytes(in, length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new DecodingException(Refusal.MALFORMED, "session id is not valid UTF-8");
        }
    }

    /** Whether a session id can be encoded: 1 to 128 UTF-8 bytes. */
    public static boolean validSession(String session) {
        if (session == null) {
            return false;
        }
        int n = session.getBytes(StandardCharsets.UTF_8).length;
        return n >= 1 && n <= MAX_SESSION_BYTES;
    }

    public static int getUnsignedByte(ByteBuffer in) {
        need(in, 1);
        return in.get() & 0xff;
    }

    public static int getNonNegativeInt(ByteBuffer in, String what) {
        need(in, 4);
        int v = in.getInt();
        if (v < 0) {
            throw new DecodingException(Refusal.OUT_OF_RANGE, what + " is negative");
        }
        return v;
    }

    public static int getUnsignedShort(ByteBuffer in) {
        need(in, 2);
        return in.getShort() & 0xffff;
    }

    public static boolean getBoolean(ByteBuffer in) {
        int b = getUnsignedByte(in);
        if (b > 1) {
            throw new DecodingException(Refusal.OUT_OF_RANGE, "boolean byte " + b);
        }
        return b == 1;
    }

    public static byte[] getBytes(ByteBuffer in, int n) {
        need(in, n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static void need(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new DecodingException(Refusal.MALFORMED, "truncated: need " + n + " bytes, have " + in.remaining());
        }
    }

    // ---- lattice objects ----

    public static int residueBits(Ring ring) {
        return ring.modulus().bitLength();
    }

    public static int residueBytes(Ring ring, int coefficients) {
        return WireFormat.packedBytes(coefficients, residueBits(ring));
    }

    public static void putResidues(ByteBuffer out, Ring ring, long[] residues) {
        WireFormat.pack(out, residues, residueBits(ring));
    }

    public static long[] getResidues(ByteBuffer in, Ring ring, int count) {
        long[] v = unpack(in, count, residueBits(ring));
        long q = ring.modulus().value();
        for (long x : v) {
            if (x >= q) {
                throw new DecodingException(Refusal.OUT_OF_RANGE, "coefficient " + x + " not below q = " + q);
            }
        }
        return v;
    }

    public static PolyVector getVector(ByteBuffer in, Ring ring, int length) {
        return PolyVector.ofCoefficients(ring, getResidues(in, ring, length * ring.degree()));
    }

    public static PolyMatrix getMatrix(ByteBuffer in, Ring ring, int rows, int cols) {
        return PolyMatrix.ofCoefficients(ring, rows, cols, getResidues(in, ring, rows * cols * ring.degree()));
    }

    public static int shortBytes(int coefficients, long bound) {
        return WireFormat.packedBytes(coefficients, WireFormat.shortBits(bound));
    }

    /** Short coefficients in {@code [−bound, bound]}, stored as {@code x + bound}; the caller checks the bound. */
    public static void putShort(ByteBuffer out, long[] centered, long bound) {
        WireFormat.packShort(out, centered, bound);
    }

    public static long[] getShort(ByteBuffer in, int count, long bound) {
        long[] v = unpack(in, count, WireFormat.shortBits(bound));
        for (int i = 0; i < count; i++) {
            if (v[i] > 2 * bound) {
                throw new DecodingException(Refusal.OUT_OF_RANGE, "coefficient " + (v[i] - bound) + " outside [−" + bound + ", " + bound + "]");
            }
            v[i] -= bound;
        }
        return v;
    }

    private static long[] unpack(ByteBuffer in, int count, int bits) {
        try {
            return WireFormat.unpack(in, count, bits);
        } catch (IllegalArgumentException e) {
            throw new DecodingException(Refusal.MALFORMED, e.getMessage());
        }
    }
}
