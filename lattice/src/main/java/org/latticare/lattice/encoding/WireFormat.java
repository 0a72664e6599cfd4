package org.latticare.lattice.encoding;

import java.nio.ByteBuffer;

/**
 * The frame every lattice object is encoded in, and the coefficient packing inside it.
 *
 * <pre>
 *   byte 0      format version (1)
 *   byte 1      type tag ({@link Type})
 *   byte 2      parameter-set id
 *   byte 3      reserved, 0
 *   bytes 4..7  body length, big-endian, must equal the bytes that follow
 *   body        fields in a fixed order; coefficients packed little-endian at a fixed bit width
 * </pre>
 * Decoding is strict so that there is exactly one encoding per object: every length is checked, every
 * residue must be below {@code q}, every short coefficient inside its bound, and padding bits must be
 * zero. Anything else is a {@link MalformedEncodingException}, never a wrong value.
 */
public final class WireFormat {

    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 8;

    /** Type tags. Never renumber: they are on the wire and on chain. */
    public enum Type {
        TRAPDOOR_PUBLIC_KEY(1),
        TRAPDOOR_PRIVATE_KEY(2),
        TRAPDOOR_CIPHERTEXT(3),
        ADDITIVE_CIPHERTEXT(4),
        STUDY_PUBLIC_KEY(5),
        PARTIAL_DECRYPTION(6),
        KEY_SHARE(7),
        RECORD_HEADER(8),
        RECORD_ENVELOPE(9);

        final int tag;

        Type(int tag) {
            this.tag = tag;
        }
    }

    private WireFormat() {
    }

    /** Starts an encoding: header written, body to follow with exactly {@code bodyBytes} bytes. */
    public static ByteBuffer begin(Type type, int parameterId, int bodyBytes) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + bodyBytes);
        out.put((byte) VERSION).put((byte) type.tag).put((byte) parameterId).put((byte) 0).putInt(bodyBytes);
        return out;
    }

    /** Checks the header and returns the parameter-set id; the buffer is left at the start of the body. */
    public static int open(ByteBuffer in, Type type) {
        if (in.remaining() < HEADER_BYTES) {
            throw new MalformedEncodingException("truncated: " + in.remaining() + " bytes, header needs " + HEADER_BYTES);
        }
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new MalformedEncodingException("unsupported format version " + version);
        }
        int tag = in.get() & 0xff;
        if (tag != type.tag) {
            throw new MalformedEncodingException("expected " + type + " (tag " + type.tag + "), found tag " + tag);
        }
        int parameterId = in.get() & 0xff;
        if (in.get() != 0) {
            throw new MalformedEncodingException("reserved header byte is not zero");
        }
        int length = in.getInt();
        if (length != in.remaining()) {
            throw new MalformedEncodingException("body length field says " + length + ", " + in.remaining() + " bytes follow");
        }
        return parameterId;
    }

    /** Fails unless the whole buffer was consumed. */
    public static void close(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new MalformedEncodingException(in.remaining() + " trailing bytes");
        }
    }

    /** Checks the body is exactly {@code expected} bytes (before parsing it). */
    public static void expectBody(ByteBuffer in, int expected, String what) {
        if (in.remaining() != expected) {
            throw new MalformedEncodingException(what + ": body must be " + expected + " bytes, got " + in.remaining());
        }
    }

    /** Bytes needed for {@code count} values of {@code bits} bits. */
    public static int packedBytes(int count, int bits) {
        return (int) (((long) count * bits + 7) / 8);
    }

    /** Packs values in {@code [0, 2^bits)} little-endian, {@code 1 <= bits <= 62}. */
    public static void pack(ByteBuffer out, long[] values, int bits) {
        BitWriter writer = new BitWriter(out);
        for (long v : values) {
            if (bits > 32) {
                // at most 32 bits per write, so that the 64-bit buffer never overflows
                writer.write(v, 32);
                writer.write(v >>> 32, bits - 32);
            } else {
                writer.write(v, bits);
            }
        }
        writer.flush();
    }

    /** A little-endian bit stream into a buffer, taking at most 32 bits at a time. */
    private static final class BitWriter {
        private final ByteBuffer out;
        private long buffer;
        private int filled;

        BitWriter(ByteBuffer out) {
            this.out = out;
        }

        void write(long value, int bits) {
            buffer |= (value & ((1L << bits) - 1)) << filled;
            filled += bits;
            while (filled >= 8) {
                out.put((byte) buffer);
                buffer >>>= 8;
                filled -= 8;
            }
        }

        void flush() {
            if (filled > 0) {
                out.put((byte) buffer);
            }
        }
    }

    /** Unpacks {@code count} values of {@code bits} bits; padding bits of the last byte must be zero. */
    public static long[] unpack(ByteBuffer in, int count, int bits) {
        int bytes = packedBytes(count, bits);
        if (in.remaining() < bytes) {
            throw new MalformedEncodingException("truncated: need " + bytes + " bytes of coefficients, have " + in.remaining());
        }
        long[] values = new long[count];
        if (bits > 56) {
            BitReader reader = new BitReader(in);
            for (int i = 0; i < count; i++) {
                long low = reader.read(32);
                values[i] = low | (reader.read(bits - 32) << 32);
            }
            reader.requireZeroPadding();
            return values;
        }
        BitReader reader = new BitReader(in);
        for (int i = 0; i < count; i++) {
            values[i] = reader.read(bits);
        }
        reader.requireZeroPadding();
        return values;
    }

    /** Little-endian bit stream over a buffer, up to 56 bits per read. */
    private static final class BitReader {
        private final ByteBuffer in;
        private long buffer;
        private int available;

        BitReader(ByteBuffer in) {
            this.in = in;
        }

        long read(int bits) {
            while (available < bits) {
                buffer |= (long) (in.get() & 0xff) << available;
                available += 8;
            }
            long v = buffer & ((1L << bits) - 1);
            buffer >>>= bits;
            available -= bits;
            return v;
        }

        void requireZeroPadding() {
            if (buffer != 0) {
                throw new MalformedEncodingException("non-zero padding bits");
            }
        }
    }

    /** Residues mod q at {@code ⌈log2 q⌉} bits each; decoding rejects any value {@code ≥ q}. */
    public static void packResidues(ByteBuffer out, long[] residues, int bits) {
        pack(out, residues, bits);
    }

    public static long[] unpackResidues(ByteBuffer in, int count, int bits, long q) {
        long[] values = unpack(in, count, bits);
        for (long v : values) {
            if (v >= q) {
                throw new MalformedEncodingException("coefficient " + v + " out of range [0, " + q + ")");
            }
        }
        return values;
    }

    /** Bits for a short coefficient in {@code [-bound, bound]}, stored as {@code x + bound}. */
    public static int shortBits(long bound) {
        return 64 - Long.numberOfLeadingZeros(2 * bound);
    }

    public static void packShort(ByteBuffer out, long[] centered, long bound) {
        long[] shifted = new long[centered.length];
        for (int i = 0; i < centered.length; i++) {
            if (Math.abs(centered[i]) > bound) {
                throw new IllegalArgumentException("coefficient " + centered[i] + " exceeds bound " + bound);
            }
            shifted[i] = centered[i] + bound;
        }
        pack(out, shifted, shortBits(bound));
    }

    public static long[] unpackShort(ByteBuffer in, int count, long bound) {
        long[] values = unpack(in, count, shortBits(bound));
        for (int i = 0; i < count; i++) {
            if (values[i] > 2 * bound) {
                throw new MalformedEncodingException("short coefficient out of range [-" + bound + ", " + bound + "]");
            }
            values[i] -= bound;
        }
        return values;
    }
}
