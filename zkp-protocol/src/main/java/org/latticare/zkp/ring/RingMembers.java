package org.latticare.zkp.ring;

import java.util.List;

import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;

/** The verifier ring in order: position i (0-based) and its registered ML-DSA-65 verification key. */
public record RingMembers(List<MLDSAPublicKeyParameters> keys) {

    public RingMembers {
        keys = List.copyOf(keys);
        if (keys.isEmpty() || keys.size() > 1024) {
            throw new IllegalArgumentException("a ring has 1 to 1024 verifiers");
        }
    }

    public int size() {
        return keys.size();
    }

    public MLDSAPublicKeyParameters key(int index) {
        return keys.get(index);
    }
}
