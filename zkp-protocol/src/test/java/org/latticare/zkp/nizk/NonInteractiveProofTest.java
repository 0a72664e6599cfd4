package org.latticare.zkp.nizk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.nizk.NonInteractiveProof.Proof;
import org.latticare.zkp.nizk.NonInteractiveProof.Proved;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentityPublicKey;

class NonInteractiveProofTest {

    private static final byte[] CONTEXT = "IdentityVerified/hospital-7/2025".getBytes(StandardCharsets.UTF_8);

    static IdentificationParameters[] sets() {
        return new IdentificationParameters[] {IdentificationParameters.N1, IdentificationParameters.N256};
    }

    private static RandomSource random(String label) {
        return RandomSource.deterministic(label.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("sets")
    void proofVerifiesForAnyoneHoldingOnlyThePublicKeyAndFailsOnAnyFlippedByte(IdentificationParameters p) {
        RandomSource random = random("nizk-" + p.name());
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        IdentityPublicKey published = IdentityPublicKey.decode(p, keys.publicKey().encode()).orElseThrow();
        Proved proved = NonInteractiveProof.prove(keys, CONTEXT, random);
        byte[] encoded = proved.proof().encode();

        assertThat(NonInteractiveProof.verify(published, CONTEXT, encoded)).isTrue();
        assertThat(Proof.decode(p, encoded).orElseThrow()).isEqualTo(proved.proof());
        assertThat(encoded).hasSize(8 + 32 + (p.witnessLength() * p.degree() * 20 + 7) / 8);

        // every byte for N = 256 (7 080 bytes); every 16th byte plus the header and the seed for N = 1
        int step = p.degree() == 1 ? 16 : 1;
        int checked = 0;
        for (int i = 0; i < encoded.length; i++) {
            if (i >= 40 && i % step != 0) {
                continue;
            }
            byte[] flipped = encoded.clone();
            flipped[i] ^= (byte) (1 << (i % 8));
            assertThat(NonInteractiveProof.verify(published, CONTEXT, flipped)).as("byte %d flipped", i).isFalse();
            checked++;
        }
        assertThat(checked).isGreaterThan(400);
    }

    @ParameterizedTest
    @MethodSource("sets")
    void proofIsBoundToItsContextAndItsKey(IdentificationParameters p) {
        RandomSource random = random("nizk-binding-" + p.name());
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        Proof proof = NonInteractiveProof.prove(keys, CONTEXT, random).proof();
        assertThat(NonInteractiveProof.verify(keys.publicKey(), CONTEXT, proof)).isTrue();
        assertThat(NonInteractiveProof.verify(keys.publicKey(), "another context".getBytes(StandardCharsets.UTF_8), proof))
                .isFalse();
        if (p.degree() > 1) {
            IdentityKeyPair other = IdentityKeyPair.generate(p, random);
            assertThat(NonInteractiveProof.verify(other.publicKey(), CONTEXT, proof)).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void garbageIsRefusedWithoutAnException(IdentificationParameters p) {
        RandomSource random = random("garbage-" + p.name());
        IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
        for (int length : new int[] {0, 1, 8, 40, 7080, 100_000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            assertThat(NonInteractiveProof.verify(keys.publicKey(), CONTEXT, garbage)).isFalse();
            assertThat(Proof.decode(p, garbage).ok()).isFalse();
        }
    }
}
