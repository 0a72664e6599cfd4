package org.latticare.lattice.kem;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.latticare.lattice.encoding.MalformedEncodingException;
import org.latticare.lattice.encoding.WireFormat;

/**
 * Hybrid record encryption (CRYPTO.md section 5), in chunks so that a record of any size streams
 * through with bounded memory. A fresh AES-256 key per record encrypts it with AES-256-GCM in chunks of
 * {@code chunkBytes} (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár: each chunk's
 * nonce is a random per-record prefix, the chunk's index and a flag marking the last chunk, so chunks
 * cannot be reordered, dropped or the record cut short without detection). The record key is wrapped for
 * each grantee under an AES-256-GCM key derived with SHAKE-256 from a {@link Kem} shared secret.
 * Revoking a grantee deletes their envelope; deleting every envelope (crypto-shredding) leaves the
 * ciphertext unreadable by anyone.
 *
 * <p>Associated data binds the pieces together: every chunk and every envelope is bound to the
 * record's {@link Header} and its {@link RecordBinding} (record id and pseudonym), and an envelope also
 * to its grantee. The reader says which record it expects to open; what the sealed record says about
 * itself is never trusted, so a record handed over in place of another does not open.
 */
public final class RecordEncryption {

    public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
    public static final int MAX_CHUNK_BYTES = 1 << 20;
    public static final int TAG_BYTES = 16;

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int NONCE_PREFIX_BYTES = 7;
    private static final long MAX_CHUNKS = 1L << 32;
    private static final int TAG_BITS = TAG_BYTES * 8;
    private static final byte[] CONTEXT_LABEL = "latticare/record/v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRAP_LABEL = "latticare/record-envelope/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENVELOPE_LABEL = "latticare/record-envelope/v2".getBytes(StandardCharsets.US_ASCII);

    /** Who may read: an identifier and their KEM public key. */
    public record Grantee(String id, byte[] publicKey) {
    }

    /**
     * A sealed record's public parameters, stored and shipped beside its ciphertext: the KEM its
     * envelopes use, the nonce prefix of its chunks and the plaintext size of every chunk but the last.
     */
    public record Header(String kem, byte[] noncePrefix, int chunkBytes) {

        public Header {
            if (kem == null || kem.isEmpty() || kem.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new MalformedEncodingException("a record header names its KEM in 1 to 255 bytes");
            }
            if (noncePrefix == null || noncePrefix.length != NONCE_PREFIX_BYTES) {
                throw new MalformedEncodingException("a record's nonce prefix is " + NONCE_PREFIX_BYTES + " bytes");
            }
            if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
                throw new MalformedEncodingException("chunk size " + chunkBytes + " is not within 1.." + MAX_CHUNK_BYTES);
            }
            noncePrefix = noncePrefix.clone();
        }

        /** The ciphertext's length for a plaintext of {@code plaintextBytes}: a tag per chunk, at least one chunk. */
        public long ciphertextBytes(long plaintextBytes) {
            long chunks = Math.max(1, (plaintextBytes + chunkBytes - 1) / chunkBytes);
            return plaintextBytes + chunks * TAG_BYTES;
        }

        public byte[] encode() {
            byte[] name = kem.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = WireFormat.begin(WireFormat.Type.RECORD_HEADER, 0, 1 + name.length + NONCE_PREFIX_BYTES + 4);
            return out.put((byte) name.length).put(name).put(noncePrefix).putInt(chunkBytes).array();
        }

        public static Header decode(byte[] encoded) {
            ByteBuffer in = ByteBuffer.wrap(encoded);
            if (WireFormat.open(in, WireFormat.Type.RECORD_HEADER) != 0) {
                throw new MalformedEncodingException("record header parameter id must be 0");
            }
            byte[] name = bytes(in, in.hasRemaining() ? in.get() & 0xff : -1, "KEM name");
            byte[] prefix = bytes(in, NONCE_PREFIX_BYTES, "nonce prefix");
            if (in.remaining() != 4) {
                throw new MalformedEncodingException("record header: " + in.remaining() + " bytes where the chunk size's 4 are");
            }
            return new Header(new String(name, StandardCharsets.UTF_8), prefix, in.getInt());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Header h && kem.equals(h.kem) && Arrays.equals(noncePrefix, h.noncePrefix)
                    && chunkBytes == h.chunkBytes;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * kem.hashCode() + Arrays.hashCode(noncePrefix)) + chunkBytes;
        }

        @Override
        public String toString() {
            return "Header[" + kem + ", " + chunkBytes + " bytes per chunk]";
        }
    }

    /** The record key wrapped for one grantee. */
    public record Envelope(String granteeId, byte[] kemCiphertext, byte[] nonce, byte[] wrappedKey) {

        public byte[] encode() {
            byte[] grantee = granteeId.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = WireFormat.begin(WireFormat.Type.RECORD_ENVELOPE, 0,
                    12 + grantee.length + kemCiphertext.length + NONCE_BYTES + wrappedKey.length);
            return out.putInt(grantee.length).put(grantee).putInt(kemCiphertext.length).put(kemCiphertext).put(nonce)
                    .putInt(wrappedKey.length).put(wrappedKey).array();
        }

        public static Envelope decode(byte[] encoded) {
            ByteBuffer in = ByteBuffer.wrap(encoded);
            if (WireFormat.open(in, WireFormat.Type.RECORD_ENVELOPE) != 0) {
                throw new MalformedEncodingException("record envelope parameter id must be 0");
            }
            String grantee = new String(bytes(in, length(in), "grantee id"), StandardCharsets.UTF_8);
            byte[] kemCiphertext = bytes(in, length(in), "KEM ciphertext");
            byte[] nonce = bytes(in, NONCE_BYTES, "nonce");
            byte[] wrapped = bytes(in, length(in), "wrapped key");
            WireFormat.close(in);
            if (wrapped.length != KEY_BYTES + TAG_BYTES) {
                throw new MalformedEncodingException("a wrapped record key is " + (KEY_BYTES + TAG_BYTES) + " bytes");
            }
            return new Envelope(grantee, kemCiphertext, nonce, wrapped);
        }
    }

    /** A whole sealed record in memory (small records and tests; large ones stream through {@link Sealer} and {@link Opener}). */
    public record SealedRecord(Header header, byte[] ciphertext, List<Envelope> envelopes) {

        public SealedRecord {
            envelopes = List.copyOf(envelopes);
        }

        public Optional<Envelope> envelope(String granteeId) {
            return envelopes.stream().filter(e -> e.granteeId().equals(granteeId)).findFirst();
        }

        /** The same record without {@code granteeId}'s envelope (revocation). */
        public SealedRecord revoke(String granteeId) {
            return new SealedRecord(header, ciphertext, envelopes.stream().filter(e -> !e.granteeId().equals(granteeId)).toList());
        }

        /** The record with every envelope deleted: crypto-shredded. */
        public SealedRecord shred() {
            return new SealedRecord(header, ciphertext, List.of());
        }
    }

    /** The record cannot be opened by this caller: no envelope, wrong key, another record, or tampered data. */
    public static final class RecordAccessException extends RuntimeException {

        public RecordAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Kem kem;
    private final SecureRandom random;
    private final int chunkBytes;

    public RecordEncryption(Kem kem, SecureRandom random) {
        this(kem, random, DEFAULT_CHUNK_BYTES);
    }

    public RecordEncryption(Kem kem, SecureRandom random, int chunkBytes) {
        this.kem = kem;
        this.random = random;
        this.chunkBytes = chunkBytes;
    }

    /** Starts sealing a record bound to {@code binding}: a fresh key, its header and an envelope per grantee. */
    public Sealer sealer(RecordBinding binding, List<Grantee> grantees) {
        byte[] recordKey = new byte[KEY_BYTES];
        random.nextBytes(recordKey);
        byte[] prefix = new byte[NONCE_PREFIX_BYTES];
        random.nextBytes(prefix);
        Header header = new Header(kem.name(), prefix, chunkBytes);
        byte[] context = context(header, binding);
        List<Envelope> envelopes = new ArrayList<>();
        for (Grantee grantee : grantees) {
            envelopes.add(wrap(recordKey, context, grantee));
        }
        return new Sealer(header, new Chunks(header, recordKey, context, Cipher.ENCRYPT_MODE), envelopes);
    }

    /**
     * Starts opening the record {@code expected} with {@code envelope} and the grantee's private key;
     * {@link RecordAccessException} if the envelope is not for this record (or this header), or the key
     * does not open it.
     */
    public Opener opener(Header header, RecordBinding expected, Envelope envelope, byte[] privateKey) {
        if (!header.kem().equals(kem.name())) {
            throw new RecordAccessException("record sealed with " + header.kem() + ", not " + kem.name(), null);
        }
        byte[] context = context(header, expected);
        return new Opener(new Chunks(header, unwrap(envelope, context, privateKey), context, Cipher.DECRYPT_MODE));
    }

    /** A new envelope of the record key for {@code grantee}: the opener shows it can open the record first. */
    public Envelope grant(Header header, RecordBinding binding, Envelope openers, byte[] openerPrivateKey, Grantee grantee) {
        byte[] context = context(header, binding);
        return wrap(unwrap(openers, context, openerPrivateKey), context, grantee);
    }

    public SealedRecord seal(byte[] record, RecordBinding binding, List<Grantee> grantees) {
        Sealer sealer = sealer(binding, grantees);
        try {
            return new SealedRecord(sealer.header(), sealer.sealing(new java.io.ByteArrayInputStream(record)).readAllBytes(),
                    sealer.envelopes());
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public byte[] open(SealedRecord sealed, RecordBinding expected, String granteeId, byte[] privateKey) {
        Envelope envelope = sealed.envelope(granteeId)
                .orElseThrow(() -> new RecordAccessException("no envelope for " + granteeId, null));
        Opener opener = opener(sealed.header(), expected, envelope, privateKey);
        try {
            return opener.opening(new java.io.ByteArrayInputStream(sealed.ciphertext())).readAllBytes();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public SealedRecord grant(SealedRecord sealed, RecordBinding binding, String openerId, byte[] openerPrivateKey,
            Grantee grantee) {
        Envelope openers = sealed.envelope(openerId)
                .orElseThrow(() -> new RecordAccessException("no envelope for " + openerId, null));
        List<Envelope> envelopes = new ArrayList<>(sealed.envelopes());
        envelopes.add(grant(sealed.header(), binding, openers, openerPrivateKey, grantee));
        return new SealedRecord(sealed.header(), sealed.ciphertext(), envelopes);
    }

    /** Encrypts a record chunk by chunk; {@link #sealing} streams a whole record through it. */
    public static final class Sealer {

        private final Header header;
        private final Chunks chunks;
        private final List<Envelope> envelopes;

        private Sealer(Header header, Chunks chunks, List<Envelope> envelopes) {
            this.header = header;
            this.chunks = chunks;
            this.envelopes = List.copyOf(envelopes);
        }

        public Header header() {
            return header;
        }

        public List<Envelope> envelopes() {
            return envelopes;
        }

        /** The next chunk's ciphertext: exactly {@code chunkBytes} of plaintext, or up to that many for the last. */
        public byte[] seal(byte[] plaintext, int offset, int length, boolean last) {
            return chunks.next(plaintext, offset, length, last);
        }

        /** The ciphertext of everything {@code plaintext} holds, read a chunk at a time. */
        public InputStream sealing(InputStream plaintext) {
            return new ChunkStream(plaintext, header.chunkBytes(), this::seal);
        }
    }

    /** Decrypts a record chunk by chunk; {@link #opening} streams a whole record through it. */
    public static final class Opener {

        private final Chunks chunks;

        private Opener(Chunks chunks) {
            this.chunks = chunks;
        }

        /** The next chunk's plaintext; {@link RecordAccessException} if it was not sealed as this chunk of this record. */
        public byte[] open(byte[] ciphertext, int offset, int length, boolean last) {
            return chunks.next(ciphertext, offset, length, last);
        }

        /**
         * The plaintext of the ciphertext {@code ciphertext} holds, read a chunk at a time. A chunk that was
         * tampered with, reordered, or a record cut short throws {@link RecordAccessException} from
         * {@code read} before any byte of the bad chunk is returned.
         */
        public InputStream opening(InputStream ciphertext) {
            return new ChunkStream(ciphertext, chunks.header.chunkBytes() + TAG_BYTES, this::open);
        }
    }

    /** The STREAM state of one record in one direction: the next chunk's index, and whether the last has passed. */
    private static final class Chunks {

        private final Header header;
        private final SecretKeySpec key;
        private final byte[] context;
        private final int mode;
        private long index;
        private boolean finished;

        Chunks(Header header, byte[] recordKey, byte[] context, int mode) {
            this.header = header;
            this.key = new SecretKeySpec(recordKey, "AES");
            this.context = context;
            this.mode = mode;
        }

        byte[] next(byte[] input, int offset, int length, boolean last) {
            int full = mode == Cipher.ENCRYPT_MODE ? header.chunkBytes() : header.chunkBytes() + TAG_BYTES;
            int least = mode == Cipher.ENCRYPT_MODE ? 0 : TAG_BYTES;
            if (finished) {
                throw new RecordAccessException("the record's last chunk has passed", null);
            }
            if (last ? length < least || length > full : length != full) {
                throw new RecordAccessException("chunk " + index + " has " + length + " bytes; a " + (last ? "last" : "")
                        + " chunk has " + (last ? least + ".." + full : full), null);
            }
            if (index >= MAX_CHUNKS) {
                throw new RecordAccessException("a record has at most " + MAX_CHUNKS + " chunks", null);
            }
            byte[] nonce = ByteBuffer.allocate(NONCE_BYTES).put(header.noncePrefix()).putInt((int) index)
                    .put((byte) (last ? 1 : 0)).array();
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(context);
                byte[] output = cipher.doFinal(input, offset, length);
                index++;
                finished = last;
                return output;
            } catch (javax.crypto.AEADBadTagException e) {
                throw new RecordAccessException("chunk " + index + (last ? " (last)" : "")
                        + " failed authentication: tampered, out of order, cut short, or another record", e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM unavailable or misused", e);
            }
        }
    }

    /** Reads its source in pieces of {@code piece} bytes, knowing which is last, and serves what {@code transform} makes of each. */
    private static final class ChunkStream extends InputStream {

        interface Transform {
            byte[] apply(byte[] input, int offset, int length, boolean last);
        }

        private final PushbackInputStream source;
        private final byte[] piece;
        private final Transform transform;
        private byte[] out = new byte[0];
        private int position;
        private boolean done;

        ChunkStream(InputStream source, int pieceBytes, Transform transform) {
            this.source = new PushbackInputStream(source, 1);
            this.piece = new byte[pieceBytes];
            this.transform = transform;
        }

        private boolean fill() throws IOException {
            while (position == out.length) {
                if (done) {
                    return false;
                }
                int length = source.readNBytes(piece, 0, piece.length);
                boolean last = length < piece.length;
                if (!last) {
                    int peek = source.read();
                    if (peek < 0) {
                        last = true;
                    } else {
                        source.unread(peek);
                    }
                }
                out = transform.apply(piece, 0, length, last);
                position = 0;
                done = last;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? out[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, out.length - position);
            System.arraycopy(out, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /** SHA3-256(label ‖ header ‖ binding): what every chunk and envelope of this record is bound to. */
    private static byte[] context(Header header, RecordBinding binding) {
        SHA3Digest digest = new SHA3Digest(256);
        byte[] encodedHeader = header.encode();
        byte[] encodedBinding = binding.encode();
        digest.update(CONTEXT_LABEL, 0, CONTEXT_LABEL.length);
        digest.update(encodedHeader, 0, encodedHeader.length);
        digest.update(encodedBinding, 0, encodedBinding.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    private Envelope wrap(byte[] recordKey, byte[] context, Grantee grantee) {
        Encapsulation encapsulation = kem.encapsulate(grantee.publicKey(), random);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] wrapped = wrapCipher(Cipher.ENCRYPT_MODE, encapsulation.sharedSecret(), nonce,
                    envelopeAad(grantee.id(), context), recordKey);
            return new Envelope(grantee.id(), encapsulation.ciphertext(), nonce, wrapped);
        } catch (javax.crypto.AEADBadTagException impossible) {
            throw new IllegalStateException("encryption checks no tag", impossible);
        }
    }

    private byte[] unwrap(Envelope envelope, byte[] context, byte[] privateKey) {
        try {
            byte[] secret = kem.decapsulate(privateKey, envelope.kemCiphertext());
            return wrapCipher(Cipher.DECRYPT_MODE, secret, envelope.nonce(), envelopeAad(envelope.granteeId(), context),
                    envelope.wrappedKey());
        } catch (KemException | javax.crypto.AEADBadTagException | IllegalArgumentException e) {
            throw new RecordAccessException("the envelope for " + envelope.granteeId()
                    + " does not open this record with this key", e);
        }
    }

    /** AES-256 key = SHAKE-256(label ‖ shared secret), 32 bytes. */
    static byte[] wrapKey(byte[] sharedSecret) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(WRAP_LABEL, 0, WRAP_LABEL.length);
        shake.update(sharedSecret, 0, sharedSecret.length);
        byte[] key = new byte[KEY_BYTES];
        shake.doFinal(key, 0, KEY_BYTES);
        return key;
    }

    private static byte[] envelopeAad(String granteeId, byte[] context) {
        byte[] g = granteeId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(ENVELOPE_LABEL.length + 4 + g.length + context.length)
                .put(ENVELOPE_LABEL).putInt(g.length).put(g).put(context).array();
    }

    private static byte[] wrapCipher(int mode, byte[] sharedSecret, byte[] nonce, byte[] aad, byte[] input)
            throws javax.crypto.AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(wrapKey(sharedSecret), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable or misused", e);
        }
    }

    private static int length(ByteBuffer in) {
        if (in.remaining() < 4) {
            throw new MalformedEncodingException("truncated before a length field");
        }
        return in.getInt();
    }

    private static byte[] bytes(ByteBuffer in, int count, String what) {
        if (count < 0 || count > in.remaining()) {
            throw new MalformedEncodingException(what + ": " + count + " bytes wanted, " + in.remaining() + " left");
        }
        byte[] out = new byte[count];
        in.get(out);
        return out;
    }
}
