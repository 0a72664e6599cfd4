package org.latticare.zkp.nizk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.zkp.sigma.IdentificationParameters;

class DecompositionTest {

    private static final long Q = Ring.DILITHIUM_PRIME;
    private static final long GAMMA2 = (Q - 1) / 32;
    private static final long ALPHA = 2 * GAMMA2;
    private static final Decomposition D = new Decomposition(Q, GAMMA2);

    static IdentificationParameters[] sets() {
        return new IdentificationParameters[] {IdentificationParameters.N1, IdentificationParameters.N256};
    }

    @Test
    void everyResidueSplitsAsFips204Decompose() {
        // exhaustive over Z_q: outside the corner r = r1·2γ2 + r0 exactly with r0 ∈ (−γ2, γ2], r1 ∈ [0, 15];
        // in the corner [q − γ2, q − 1] (where r − r0 would be q − 1) r1 = 0 and r0 = r − q ∈ [−γ2, −1]
        int[] seen = new int[16];
        for (long r = 0; r < Q; r++) {
            long r1 = D.highBits(r);
            long r0 = D.lowBits(r);
            boolean ok = r >= Q - GAMMA2
                    ? r1 == 0 && r0 == r - Q
                    : r1 >= 0 && r1 <= 15 && r0 > -GAMMA2 && r0 <= GAMMA2 && r1 * ALPHA + r0 == r;
            if (!ok || Math.floorMod(r1 * ALPHA + r0 - r, Q) != 0) {
                fail("Decompose(%d) = (%d, %d)", r, r1, r0);
            }
            seen[(int) r1]++;
        }
        for (int v = 0; v < 16; v++) {
            assertThat(seen[v]).as("residues with high bits %d", v).isGreaterThan(0);
        }
    }

    @Test
    void boundariesAndTheQMinusOneCorner() {
        assertThat(D.highBits(Q - 1)).isZero();
        assertThat(D.lowBits(Q - 1)).isEqualTo(-1);
        assertThat(D.lowBits(Q - GAMMA2)).isEqualTo(-GAMMA2);
        assertThat(D.highBits(Q - GAMMA2 - 1)).isEqualTo(15);
        assertThat(D.lowBits(Q - GAMMA2 - 1)).isEqualTo(GAMMA2);
        assertThat(D.highBits(0)).isZero();
        assertThat(D.lowBits(0)).isZero();
        assertThat(D.highBits(GAMMA2)).isZero();
        assertThat(D.lowBits(GAMMA2)).isEqualTo(GAMMA2);
        assertThat(D.highBits(GAMMA2 + 1)).isEqualTo(1);
        assertThat(D.lowBits(GAMMA2 + 1)).isEqualTo(1 - GAMMA2);
        assertThat(D.highBitsRange()).isEqualTo(16);
        assertThat(D.highBitsWidth()).isEqualTo(4);
        assertThatThrownBy(() -> D.highBits(Q)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> D.lowBits(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyDivisorsOfQMinusOneAreAccepted() {
        assertThatThrownBy(() -> new Decomposition(Q, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decomposition(Q, (Q - 1) / 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Decomposition(Q, (Q - 1) / 88).highBitsRange()).isEqualTo(44); // ML-DSA-44's γ2
    }

    @ParameterizedTest
    @MethodSource("sets")
    void parameterSetsUseMlDsa65sGamma2(IdentificationParameters p) {
        Decomposition d = Decomposition.of(p);
        assertThat(d.gamma2()).isEqualTo(261_888L);
        assertThat(p.beta()).isLessThan(d.gamma2());
    }

    @ParameterizedTest
    @MethodSource("sets")
    void shortShiftsKeepTheHighBitsWhenTheLowBitsAreBelowGamma2MinusBeta(IdentificationParameters p) {
        long beta = p.beta();
        long safe = GAMMA2 - beta - 1; // the largest |r0| the prover lets through
        SplittableRandom random = new SplittableRandom(p.id());
        int checked = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long r = random.nextLong(Q);
            if (Math.abs(D.lowBits(r)) > safe) {
                continue;
            }
            long s = random.nextLong(-beta, beta + 1);
            if (D.highBits(Math.floorMod(r + s, Q)) != D.highBits(r)) {
                fail("HighBits(%d + %d) != HighBits(%d)", r, s, r);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(990_000);
        // the edges, including across 0 ≡ q (r1 = 0 and the corner) and r1 = 15
        for (long r1 = 0; r1 < 16; r1++) {
            for (long r0 : new long[] {-safe, -safe + 1, 0, safe - 1, safe}) {
                long r = Math.floorMod(r1 * ALPHA + r0, Q);
                assertThat(Math.abs(D.lowBits(r))).isLessThanOrEqualTo(safe);
                for (long s : new long[] {-beta, -1, 0, 1, beta}) {
                    assertThat(D.highBits(Math.floorMod(r + s, Q))).as("r1 = %d, r0 = %d, s = %d", r1, r0, s)
                            .isEqualTo(D.highBits(r));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sets")
    void atTheBoundTheHighBitsCanChange(IdentificationParameters p) {
        // why the prover's test is ‖r0‖∞ < γ2 − β and not weaker: just outside it a shift of β crosses over
        long beta = p.beta();
        long r = 3 * ALPHA - (GAMMA2 - beta);
        assertThat(D.lowBits(r)).isEqualTo(-(GAMMA2 - beta));
        assertThat(D.highBits(r - beta)).isNotEqualTo(D.highBits(r));
        long above = 3 * ALPHA + GAMMA2 - beta + 1;
        assertThat(D.highBits(above + beta)).isNotEqualTo(D.highBits(above));
    }

    @Test
    void highBitsArePackedAtFourBitsLittleEndian() {
        Ring zq = Ring.of(1, Q);
        // high bits 1, 15, 0 (the corner q − 1), 7
        PolyVector w = PolyVector.ofCoefficients(zq, ALPHA, 15 * ALPHA + 5, Q - 1, 7 * ALPHA - GAMMA2 + 1);
        assertThat(D.encodeHighBits(w)).containsExactly(0xF1, 0x70);
        assertThat(D.lowBitsNorm(w)).isEqualTo(GAMMA2 - 1);
    }
}
