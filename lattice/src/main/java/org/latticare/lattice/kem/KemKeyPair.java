package org.latticare.lattice.kem;

/** Encoded public and private key of a {@link Kem}. */
public record KemKeyPair(byte[] publicKey, byte[] privateKey) {
}
