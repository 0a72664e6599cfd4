package org.latticare.lattice.additive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.security.CoreSvpEstimate;

class RingLweAdditiveTest {

    static final int PARTIES = 5;
    static final RingLweAdditive SCHEME = new RingLweAdditive(RingLweParameters.STATISTICS);
    static final RandomSource RANDOM = RandomSource.deterministic("ring-lwe additive".getBytes());
    static final List<KeyShare> SHARES = new ArrayList<>();
    static StudyPublicKey key;

    @BeforeAll
    static void generateTheStudyKeyAlongTheRing() {
        key = SCHEME.emptyKey(new byte[32]);
        for (int i = 0; i < PARTIES; i++) {
            KeyShare share = SCHEME.generateShare(key, i, RANDOM);
            SHARES.add(share);
            key = key.plus(share);
        }
    }

    private static List<PartialDecryption> partials(AdditiveCiphertext c, List<KeyShare> shares, int minimumCohort) {
        List<PartialDecryption> out = new ArrayList<>();
        for (KeyShare s : shares) {
            out.add(SCHEME.partialDecrypt(s, c, minimumCohort, RANDOM));
        }
        return out;
    }

    @Test
    void aFreshCiphertextDecryptsWithAllShares() {
        long[] values = new long[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = RANDOM.nextBelow(1L << 16);
        }
        AdditiveCiphertext c = SCHEME.encrypt(key, values, RANDOM);
        assertThat(SCHEME.combine(c, partials(c, SHARES, 1))).isEqualTo(values);
    }

    /** The budget claims M = 10^4 additions: sum exactly that many and decrypt exactly. */
    @Test
    void tenThousandCiphertextsSumAndDecryptExactly() {
        int m = RingLweParameters.STATISTICS.maxAdditions();
        assertThat(m).isGreaterThanOrEqualTo(10_000);
        long t = RingLweParameters.STATISTICS.plaintextModulus();
        long[] expected = new long[4096];
        AdditiveCiphertext sum = null;
        for (int r = 0; r < m; r++) {
            // a record: a histogram bin (one-hot) in the first 64 slots and a small value in the rest
            long[] values = new long[4096];
            values[(int) RANDOM.nextBelow(64)] = 1;
            for (int i = 64; i < 128; i++) {
                values[i] = RANDOM.nextBelow(6);
            }
            values[4095] = t - 1; // wraps around mod t: the sum must too
            for (int i = 0; i < values.length; i++) {
                expected[i] = (expected[i] + values[i]) % t;
            }
            AdditiveCiphertext c = SCHEME.encrypt(key, values, RANDOM);
            sum = sum == null ? c : SCHEME.add(sum, c);
        }
        assertThat(sum.records()).isEqualTo(m);
        assertThat(SCHEME.combine(sum, partials(sum, SHARES, m))).isEqualTo(expected);
    }

    @Test
    void thresholdDecryptionWithOneShareMissingFails() {
        long[] values = {3, 1, 4, 1, 5, 9, 2, 6};
        AdditiveCiphertext c = SCHEME.encrypt(key, values, RANDOM);
        for (int missing = 0; missing < PARTIES; missing++) {
            List<KeyShare> without = new ArrayList<>(SHARES);
            without.remove(missing);
            long[] got = SCHEME.combine(c, partials(c, without, 1));
            long matches = 0;
            for (int i = 0; i < 4096; i++) {
                if (got[i] == (i < values.length ? values[i] : 0)) {
                    matches++;
                }
            }
            // without share `missing` the result is uniform noise: about 4096 / 2^16 chance matches
            assertThat(matches).as("missing share %d", missing).isLessThan(10);
        }
    }

    @Test
    void anAggregateBelowTheMinimumCohortIsRefusedByEveryNode() {
        AdditiveCiphertext c = SCHEME.add(SCHEME.encrypt(key, new long[] {1}, RANDOM), SCHEME.encrypt(key, new long[] {1}, RANDOM));
        for (KeyShare share : SHARES) {
            assertThatThrownBy(() -> SCHEME.partialDecrypt(share, c, 3, RANDOM))
                    .isInstanceOf(CohortTooSmallException.class)
                    .hasMessageContaining("2 records");
        }
        assertThat(SCHEME.combine(c, partials(c, SHARES, 2))[0]).isEqualTo(2);
    }

    @Test
    void partialDecryptionsAreSmudged() {
        AdditiveCiphertext c = SCHEME.encrypt(key, new long[] {7}, RANDOM);
        PartialDecryption d1 = SCHEME.partialDecrypt(SHARES.get(0), c, 1, RANDOM);
        PartialDecryption d2 = SCHEME.partialDecrypt(SHARES.get(0), c, 1, RANDOM);
        long[] diff = d1.share().subtract(d2.share()).centeredCoefficients();
        long max = 0;
        for (long x : diff) {
            max = Math.max(max, Math.abs(x));
        }
        assertThat(max).isGreaterThan(RingLweParameters.STATISTICS.smudgingBound() / 2)
                .isLessThanOrEqualTo(2 * RingLweParameters.STATISTICS.smudgingBound());
    }

    @Test
    void theNoiseBudgetHoldsInTheWorstCaseAndTheRingLweInstanceIsHard() {
        RingLweParameters p = RingLweParameters.STATISTICS;
        assertThat(p.worstCaseNoise()).isLessThan(p.delta() / 2);
        // ternary secret (σ² = 2/3) is the weaker side; the attacker may use as many samples as N
        CoreSvpEstimate.Result r = CoreSvpEstimate.primal(4096, p.ring().modulus().value(), Math.sqrt(2.0 / 3), 4096);
        assertThat(r.classicalBits()).isGreaterThan(128);
    }

    @Test
    void valuesOutsideThePlaintextSpaceAreRefused() {
        assertThatThrownBy(() -> SCHEME.encrypt(key, new long[] {1L << 16}, RANDOM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SCHEME.encrypt(key, new long[4097], RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }
}
