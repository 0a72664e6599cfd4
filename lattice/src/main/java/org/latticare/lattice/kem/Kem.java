package org.latticare.lattice.kem;

import java.security.SecureRandom;

/**
 * A key-encapsulation mechanism on encoded keys: what the record layer stores and ships is bytes.
 * Both implementations produce a 32-byte shared secret; {@link RecordEncryption} turns it into an
 * AES-256 key with SHAKE-256.
 */
public interface Kem {

    int SHARED_SECRET_BYTES = 32;

    String name();

    KemKeyPair generateKeyPair(SecureRandom random);

    Encapsulation encapsulate(byte[] publicKey, SecureRandom random);

    /** The shared secret, or {@link KemException} for a ciphertext the KEM rejects. */
    byte[] decapsulate(byte[] privateKey, byte[] ciphertext);

    int publicKeyBytes();

    int privateKeyBytes();

    int ciphertextBytes();
}
