package org.latticare.lattice.kem;

/** A shared secret and the ciphertext that carries it to the holder of the private key. */
public record Encapsulation(byte[] sharedSecret, byte[] ciphertext) {
}
