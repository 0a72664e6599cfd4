package org.latticare.zkp.ring;

import java.util.List;

import org.latticare.lattice.sign.MlDsa65;

/** The verifier ring in order: position i (0-based) and its registered ML-DSA-65 public key. */
public record RingMembers(List<byte[]> keys) {

    public RingMembers {
        keys = keys.stream().map(byte[]::clone).toList();
        if (keys.isEmpty() || keys.size() > 1024) {
            throw new IllegalArgumentException("a ring has 1 to 1024 verifiers");
        }
        for (byte[] key : keys) {
            if (key.length != MlDsa65.PUBLIC_KEY_BYTES) {
                throw new IllegalArgumentException("an ML-DSA-65 public key has " + MlDsa65.PUBLIC_KEY_BYTES + " bytes");
            }
        }
    }

    public int size() {
        return keys.size();
    }

    public byte[] key(int index) {
        return keys.get(index).clone();
    }

    /** Whether {@code signature} is position {@code index}'s signature of {@code message}. */
    public boolean signedBy(int index, byte[] message, byte[] signature) {
        return signature != null && MlDsa65.verify(keys.get(index), message, signature);
    }
}
