package org.latticare.lattice.kem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.trapdoor.TrapdoorParameters;

class KemTest {

    static Stream<Kem> kems() {
        return Stream.of(new MlKem768(), new TrapdoorLweKem(TrapdoorParameters.TEST), new TrapdoorLweKem(TrapdoorParameters.STANDARD));
    }

    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void encapsulatedSecretIsRecoveredAndSizesAreAsDeclared(Kem kem) {
        KemKeyPair keys = kem.generateKeyPair(random);
        assertThat(keys.publicKey()).hasSize(kem.publicKeyBytes());
        assertThat(keys.privateKey()).hasSize(kem.privateKeyBytes());
        for (int i = 0; i < 5; i++) {
            Encapsulation e = kem.encapsulate(keys.publicKey(), random);
            assertThat(e.ciphertext()).hasSize(kem.ciphertextBytes());
            assertThat(e.sharedSecret()).hasSize(Kem.SHARED_SECRET_BYTES);
            assertThat(kem.decapsulate(keys.privateKey(), e.ciphertext())).isEqualTo(e.sharedSecret());
        }
        assertThat(kem.encapsulate(keys.publicKey(), random).sharedSecret())
                .isNotEqualTo(kem.encapsulate(keys.publicKey(), random).sharedSecret());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void aTamperedCiphertextNeverYieldsTheSecret(Kem kem) {
        KemKeyPair keys = kem.generateKeyPair(random);
        Encapsulation e = kem.encapsulate(keys.publicKey(), random);
        for (int position : new int[] {e.ciphertext().length / 2, e.ciphertext().length - 1}) {
            byte[] tampered = e.ciphertext().clone();
            tampered[position] ^= 0x01;
            byte[] secret;
            try {
                secret = kem.decapsulate(keys.privateKey(), tampered);
            } catch (KemException rejected) {
                continue; // explicit rejection (trapdoor KEM's FO re-encryption check)
            }
            assertThat(secret).isNotEqualTo(e.sharedSecret()); // implicit rejection (ML-KEM)
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void anotherKeyPairCannotDecapsulate(Kem kem) {
        KemKeyPair alice = kem.generateKeyPair(random);
        KemKeyPair mallory = kem.generateKeyPair(random);
        Encapsulation e = kem.encapsulate(alice.publicKey(), random);
        byte[] secret;
        try {
            secret = kem.decapsulate(mallory.privateKey(), e.ciphertext());
        } catch (KemException rejected) {
            return;
        }
        assertThat(secret).isNotEqualTo(e.sharedSecret());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void malformedInputIsRejectedWithAClearException(Kem kem) {
        KemKeyPair keys = kem.generateKeyPair(random);
        Encapsulation e = kem.encapsulate(keys.publicKey(), random);
        byte[] truncated = java.util.Arrays.copyOf(e.ciphertext(), e.ciphertext().length - 1);
        assertThatThrownBy(() -> kem.decapsulate(keys.privateKey(), truncated)).isInstanceOf(KemException.class);
        byte[] shortKey = java.util.Arrays.copyOf(keys.publicKey(), 100);
        assertThatThrownBy(() -> kem.encapsulate(shortKey, random)).isInstanceOf(KemException.class);
    }
}
