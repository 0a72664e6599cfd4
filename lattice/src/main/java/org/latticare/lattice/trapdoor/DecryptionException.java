package org.latticare.lattice.trapdoor;

/** A ciphertext that no honest encryption under this key could have produced. */
public final class DecryptionException extends RuntimeException {

    public DecryptionException(String message) {
        super(message);
    }
}
