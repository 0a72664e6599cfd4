package org.latticare.lattice.kem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * Hybrid record encryption (CRYPTO.md section 5): a fresh AES-256 key per record encrypts the record
 * with AES-256-GCM; the record key is wrapped for each grantee under an AES-256-GCM key derived with
 * SHAKE-256 from a {@link Kem} shared secret. Revoking a grantee deletes their envelope; deleting every
 * envelope (crypto-shredding) leaves the record ciphertext unreadable by anyone.
 *
 * <p>Associated data binds the pieces together: the record's AAD is the caller's (e.g. the record id);
 * an envelope's AAD is {@code kem name ‖ grantee id ‖ record nonce}, so an envelope cannot be moved to
 * another grantee or another record.
 */
public final class RecordEncryption {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] WRAP_LABEL = "latticare/record-envelope/v1".getBytes(StandardCharsets.US_ASCII);

    /** Who may read: an identifier and their KEM public key. */
    public record Grantee(String id, byte[] publicKey) {
    }

    /** The record key wrapped for one grantee. */
    public record Envelope(String granteeId, byte[] kemCiphertext, byte[] nonce, byte[] wrappedKey) {
    }

    /** An encrypted record and its envelopes. */
    public record SealedRecord(String kem, byte[] nonce, byte[] ciphertext, byte[] associatedData, List<Envelope> envelopes) {

        public SealedRecord {
            envelopes = List.copyOf(envelopes);
        }

        /** The same record without {@code granteeId}'s envelope (revocation). */
        public SealedRecord revoke(String granteeId) {
            List<Envelope> kept = new ArrayList<>();
            for (Envelope e : envelopes) {
                if (!e.granteeId().equals(granteeId)) {
                    kept.add(e);
                }
            }
            return new SealedRecord(kem, nonce, ciphertext, associatedData, kept);
        }

        /** The record with every envelope deleted: crypto-shredded. */
        public SealedRecord shred() {
            return new SealedRecord(kem, nonce, ciphertext, associatedData, List.of());
        }
    }

    /** The record cannot be opened by this caller: no envelope, wrong key, or tampered data. */
    public static final class RecordAccessException extends RuntimeException {

        public RecordAccessException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Kem kem;
    private final SecureRandom random;

    public RecordEncryption(Kem kem, SecureRandom random) {
        this.kem = kem;
        this.random = random;
    }

    public SealedRecord seal(byte[] record, byte[] associatedData, List<Grantee> grantees) {
        byte[] recordKey = new byte[KEY_BYTES];
        random.nextBytes(recordKey);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ciphertext = aesGcm(Cipher.ENCRYPT_MODE, recordKey, nonce, associatedData, record);
        List<Envelope> envelopes = new ArrayList<>();
        for (Grantee g : grantees) {
            envelopes.add(wrap(recordKey, nonce, g));
        }
        return new SealedRecord(kem.name(), nonce, ciphertext, associatedData.clone(), envelopes);
    }

    /** Adds an envelope for {@code grantee}; the caller proves access by opening the record key first. */
    public SealedRecord grant(SealedRecord sealed, String openerId, byte[] openerPrivateKey, Grantee grantee) {
        byte[] recordKey = unwrap(sealed, openerId, openerPrivateKey);
        List<Envelope> envelopes = new ArrayList<>(sealed.envelopes());
        envelopes.add(wrap(recordKey, sealed.nonce(), grantee));
        return new SealedRecord(sealed.kem(), sealed.nonce(), sealed.ciphertext(), sealed.associatedData(), envelopes);
    }

    public byte[] open(SealedRecord sealed, String granteeId, byte[] privateKey) {
        byte[] recordKey = unwrap(sealed, granteeId, privateKey);
        try {
            return aesGcm(Cipher.DECRYPT_MODE, recordKey, sealed.nonce(), sealed.associatedData(), sealed.ciphertext());
        } catch (IllegalStateException e) {
            throw new RecordAccessException("record ciphertext failed authentication", e);
        }
    }

    private Envelope wrap(byte[] recordKey, byte[] recordNonce, Grantee grantee) {
        Encapsulation encapsulation = kem.encapsulate(grantee.publicKey(), random);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] wrapped = aesGcm(Cipher.ENCRYPT_MODE, wrapKey(encapsulation.sharedSecret()), nonce,
                envelopeAad(grantee.id(), recordNonce), recordKey);
        return new Envelope(grantee.id(), encapsulation.ciphertext(), nonce, wrapped);
    }

    private byte[] unwrap(SealedRecord sealed, String granteeId, byte[] privateKey) {
        if (!sealed.kem().equals(kem.name())) {
            throw new RecordAccessException("record sealed with " + sealed.kem() + ", not " + kem.name(), null);
        }
        for (Envelope e : sealed.envelopes()) {
            if (e.granteeId().equals(granteeId)) {
                try {
                    byte[] secret = kem.decapsulate(privateKey, e.kemCiphertext());
                    return aesGcm(Cipher.DECRYPT_MODE, wrapKey(secret), e.nonce(), envelopeAad(granteeId, sealed.nonce()), e.wrappedKey());
                } catch (KemException | IllegalStateException ex) {
                    throw new RecordAccessException("envelope for " + granteeId + " cannot be opened", ex);
                }
            }
        }
        throw new RecordAccessException("no envelope for " + granteeId, null);
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

    private byte[] envelopeAad(String granteeId, byte[] recordNonce) {
        byte[] k = kem.name().getBytes(StandardCharsets.UTF_8);
        byte[] g = granteeId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + k.length + g.length + recordNonce.length)
                .putInt(k.length).put(k).putInt(g.length).put(g).put(recordNonce).array();
    }

    /** AES-256-GCM; authentication failure surfaces as {@link IllegalStateException}. */
    private static byte[] aesGcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("authentication tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable or misused", e);
        }
    }
}
