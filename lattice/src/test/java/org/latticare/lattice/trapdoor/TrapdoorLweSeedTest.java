package org.latticare.lattice.trapdoor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.DiscreteGaussian;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/** The paper's equations (1)–(2) as printed: they round-trip, and they leak. */
class TrapdoorLweSeedTest {

    private final TrapdoorParameters params = TrapdoorParameters.TEST;
    private final TrapdoorLweSeed seed = new TrapdoorLweSeed(params);
    private final RandomSource random = RandomSource.deterministic("seed variant".getBytes());
    private final GadgetTrapdoor keys = GadgetTrapdoor.generate(params, random);

    @Test
    void equationsOneAndTwoRoundTrip() {
        for (int i = 0; i < 200; i++) {
            long[] b = TrapdoorLweTest.randomPlaintext(params, random);
            assertThat(seed.decrypt(keys, seed.encrypt(keys.publicKey(), b, random))).isEqualTo(b);
        }
    }

    @Test
    void theErrorTermQTimesEVanishesSoTheGaussianErrorHasNoEffect() {
        long[] b = TrapdoorLweTest.randomPlaintext(params, random);
        PolyVector s = UniformSampler.vector(params.ring(), params.rank(), random);
        PolyVector e1 = new DiscreteGaussian(TrapdoorLweSeed.SIGMA).vector(params.ring(), params.columns(), random);
        PolyVector e2 = new DiscreteGaussian(TrapdoorLweSeed.SIGMA).vector(params.ring(), params.columns(), random);
        assertThat(e1).isNotEqualTo(e2);
        assertThat(seed.encrypt(keys.publicKey(), b, s, e1).c()).isEqualTo(seed.encrypt(keys.publicKey(), b, s, e2).c());
    }

    @Test
    void twoCiphertextsUnderOneSecretRevealTheDifferenceOfThePlaintexts() {
        long[] b1 = TrapdoorLweTest.randomPlaintext(params, random);
        long[] b2 = TrapdoorLweTest.randomPlaintext(params, random);
        PolyVector s = UniformSampler.vector(params.ring(), params.rank(), random);
        PolyVector e = new DiscreteGaussian(TrapdoorLweSeed.SIGMA).vector(params.ring(), params.columns(), random);
        long[] difference = seed.encrypt(keys.publicKey(), b1, s, e).c()
                .subtract(seed.encrypt(keys.publicKey(), b2, s, e).c()).centeredCoefficients();
        for (int i = 0; i < difference.length; i++) {
            assertThat(difference[i]).isEqualTo(TrapdoorLwe.centeredModP(b1[i], 2) - TrapdoorLwe.centeredModP(b2[i], 2));
        }
    }

    @Test
    void anEavesdropperReadsAZeroPaddedMessageWithoutTheTrapdoor() {
        // a message shorter than the capacity, padded with zeros in front: A = [I | …] then gives s away
        long[] b = TrapdoorLweTest.randomPlaintext(params, random);
        int padding = params.rank() * params.ring().degree();
        java.util.Arrays.fill(b, 0, padding, 0L);
        TrapdoorCiphertext c = seed.encrypt(keys.publicKey(), b, random);

        PolyVector s = c.c().slice(0, params.rank());
        long[] recovered = c.c().subtract(keys.publicKey().times(s)).centeredCoefficients();
        for (int i = 0; i < recovered.length; i++) {
            recovered[i] = Math.floorMod(recovered[i], params.plaintextModulus());
        }
        assertThat(recovered).isEqualTo(b);

        // the same attack on the sound scheme yields noise, not the message
        TrapdoorCiphertext sound = new TrapdoorLwe(params).encrypt(keys.publicKey(), b, random);
        PolyVector guess = sound.c().slice(0, params.rank());
        assertThat(sound.c().subtract(keys.publicKey().times(guess)).infinityNorm())
                .isGreaterThan(params.ring().modulus().value() / 4);
    }
}
