package org.latticare.lattice.kem;

/** Decapsulation refused: the ciphertext or key is malformed, or the ciphertext was not honestly made. */
public final class KemException extends RuntimeException {

    public KemException(String message) {
        super(message);
    }

    public KemException(String message, Throwable cause) {
        super(message, cause);
    }
}
