package org.latticare.lattice.trapdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;

/**
 * CRYPTO.md: "round trip of the sound Section 3 scheme over ≥ 10^5 random messages with zero failures
 * at the standard parameters". Each trial is a full encrypt/decrypt of a random {@code mN}-symbol
 * plaintext under one key, split across two workers with independent deterministic streams.
 */
class TrapdoorLweStandardRoundTripTest {

    static final int TRIALS = 100_000;
    static final int WORKERS = 2;

    @Test
    void hundredThousandRoundTripsAtStandardWithZeroFailures() {
        TrapdoorParameters params = TrapdoorParameters.STANDARD;
        TrapdoorLwe scheme = new TrapdoorLwe(params);
        GadgetTrapdoor keys = scheme.generateKeys(RandomSource.secure());
        AtomicLong failures = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        IntStream.range(0, WORKERS).parallel().forEach(worker -> {
            RandomSource random = RandomSource.deterministic(("standard worker " + worker).getBytes());
            for (int i = worker; i < TRIALS; i += WORKERS) {
                long[] b = TrapdoorLweTest.randomPlaintext(params, random);
                long[] decrypted;
                try {
                    decrypted = scheme.decrypt(keys, scheme.encrypt(keys.publicKey(), b, random));
                } catch (DecryptionException e) {
                    decrypted = null;
                }
                if (!Arrays.equals(b, decrypted)) {
                    failures.incrementAndGet();
                }
                completed.incrementAndGet();
            }
        });
        assertThat(completed.get()).isEqualTo(TRIALS);
        assertThat(failures.get()).isZero();
    }
}
