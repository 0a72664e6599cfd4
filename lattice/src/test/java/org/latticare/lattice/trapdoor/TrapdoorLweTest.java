package org.latticare.lattice.trapdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

class TrapdoorLweTest {

    /** Uniform in {@code Z_p^{mN}}; bytes are drawn in bulk when {@code p | 256} (no bias). */
    static long[] randomPlaintext(TrapdoorParameters params, RandomSource random) {
        int p = params.plaintextModulus();
        long[] b = new long[params.plaintextLength()];
        if (256 % p == 0) {
            byte[] bytes = new byte[b.length];
            random.nextBytes(bytes);
            for (int i = 0; i < b.length; i++) {
                b[i] = (bytes[i] & 0xff) % p;
            }
            return b;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextBelow(p);
        }
        return b;
    }

    @Test
    void roundTripsAtTest() {
        assertRoundTrips(TrapdoorParameters.TEST, 2000);
    }

    @Test
    void roundTripsAtPaper() {
        assertRoundTrips(TrapdoorParameters.PAPER, 20);
    }

    private static void assertRoundTrips(TrapdoorParameters params, int trials) {
        TrapdoorLwe scheme = new TrapdoorLwe(params);
        RandomSource random = RandomSource.deterministic(("round trip " + params.name()).getBytes());
        GadgetTrapdoor keys = scheme.generateKeys(random);
        for (int i = 0; i < trials; i++) {
            long[] b = randomPlaintext(params, random);
            assertThat(scheme.decrypt(keys, scheme.encrypt(keys.publicKey(), b, random))).isEqualTo(b);
        }
    }

    @Test
    void everyParameterSetIsCorrectInTheWorstCase() {
        for (TrapdoorParameters params : TrapdoorParameters.ALL) {
            assertThat(params.decryptionCannotFail()).as(params.name()).isTrue();
        }
    }

    @Test
    void standardClaimsAtLeast128BitsAndItsEstimateMatchesTheClaim() {
        var estimate = TrapdoorParameters.STANDARD.coreSvp();
        assertThat(estimate.classicalBits()).isGreaterThanOrEqualTo(128);
        assertThat(TrapdoorParameters.STANDARD.claimedSecurity()).contains("block size ≈" + estimate.blockSize());
        var paper = TrapdoorParameters.PAPER.coreSvp();
        assertThat(TrapdoorParameters.PAPER.claimedSecurity()).contains("block size ≈" + paper.blockSize());
    }

    @Test
    void ciphertextIsNotTheMessageAndTwoEncryptionsDiffer() {
        TrapdoorParameters params = TrapdoorParameters.TEST;
        TrapdoorLwe scheme = new TrapdoorLwe(params);
        RandomSource random = RandomSource.deterministic(new byte[] {21});
        GadgetTrapdoor keys = scheme.generateKeys(random);
        long[] zero = new long[params.plaintextLength()];
        TrapdoorCiphertext c1 = scheme.encrypt(keys.publicKey(), zero, random);
        TrapdoorCiphertext c2 = scheme.encrypt(keys.publicKey(), zero, random);
        assertThat(c1.c()).isNotEqualTo(c2.c());
        // the seed variant's leak does not apply: c − (first n entries as s)·A is not the plaintext
        PolyVector guessedS = c1.c().slice(0, params.rank());
        PolyVector residue = c1.c().subtract(keys.publicKey().times(guessedS));
        assertThat(residue.infinityNorm()).isGreaterThan(params.ring().modulus().value() / 4);
    }

    @Test
    void garbageAndTamperedCiphertextsAreRejected() {
        TrapdoorParameters params = TrapdoorParameters.TEST;
        TrapdoorLwe scheme = new TrapdoorLwe(params);
        RandomSource random = RandomSource.deterministic(new byte[] {22});
        GadgetTrapdoor keys = scheme.generateKeys(random);
        TrapdoorCiphertext garbage = new TrapdoorCiphertext(params, UniformSampler.vector(params.ring(), params.columns(), random));
        assertThatThrownBy(() -> scheme.decrypt(keys, garbage)).isInstanceOf(DecryptionException.class);

        long[] b = randomPlaintext(params, random);
        long[] c = scheme.encrypt(keys.publicKey(), b, random).c().coefficients();
        c[params.ring().degree() * params.trapdoorRows() + 3] += params.ring().modulus().value() / 2;
        TrapdoorCiphertext tampered = new TrapdoorCiphertext(params, PolyVector.ofCoefficients(params.ring(), c));
        assertThatThrownBy(() -> scheme.decrypt(keys, tampered)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void plaintextOutsideZpIsRefused() {
        TrapdoorParameters params = TrapdoorParameters.TEST;
        TrapdoorLwe scheme = new TrapdoorLwe(params);
        RandomSource random = RandomSource.deterministic(new byte[] {23});
        GadgetTrapdoor keys = scheme.generateKeys(random);
        long[] b = new long[params.plaintextLength()];
        b[0] = params.plaintextModulus();
        assertThatThrownBy(() -> scheme.encrypt(keys.publicKey(), b, random)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scheme.encrypt(keys.publicKey(), Arrays.copyOf(b, 3), random)).isInstanceOf(IllegalArgumentException.class);
    }
}
