package org.latticare.lattice.additive;

import java.util.List;
import org.latticare.lattice.ring.Modulus;
import org.latticare.lattice.ring.Poly;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sample.UniformSampler;

/**
 * Additively homomorphic ring-LWE encryption (Lyubashevsky–Peikert–Regev, with BFV's {@code Δ·m}
 * encoding) under a distributed key, with threshold decryption — the paper's encrypted multi-centre
 * statistics (Section 2.2; CRYPTO.md section 4).
 *
 * <pre>
 *   key share      b_i = a·s_i + e_i,            b = Σ_i b_i   (accumulated hop by hop)
 *   encrypt m      c_0 = b·u + e_1 + Δ·m,        c_1 = a·u + e_2
 *   add            (c_0, c_1) + (c_0', c_1')      — decrypts to m + m' (mod t)
 *   partial        d_i = c_1·s_i + E_i,          E_i uniform in [-B_sm, B_sm]  (smudging)
 *   combine        c_0 − Σ_i d_i = Δ·m + v − Σ E_i,  m = ⌊(·)/Δ⌉ mod t
 * </pre>
 * Up to {@code N} values ({@code m}'s coefficients) travel in one ciphertext: a histogram of {@code N}
 * bins, or per-feature sums. Correctness bounds are in {@link RingLweParameters}.
 */
public final class RingLweAdditive {

    private final RingLweParameters parameters;

    public RingLweAdditive(RingLweParameters parameters) {
        this.parameters = parameters;
    }

    public RingLweParameters parameters() {
        return parameters;
    }

    /** The empty study key over the public polynomial {@code a} expanded from {@code seed}. */
    public StudyPublicKey emptyKey(byte[] seed) {
        Ring ring = parameters.ring();
        Poly a = UniformSampler.expand(ring, 1, 1, seed).get(0, 0);
        return new StudyPublicKey(parameters, seed.clone(), a, Poly.zero(ring), 0);
    }

    /** Party {@code i}'s share {@code (s_i, b_i = a·s_i + e_i)}. */
    public KeyShare generateShare(StudyPublicKey key, int party, RandomSource random) {
        Ring ring = parameters.ring();
        Poly s = parameters.secretDistribution().poly(ring, random);
        Poly e = parameters.errorDistribution().poly(ring, random);
        return new KeyShare(party, s, key.a().multiply(s).add(e));
    }

    /** Encrypts up to {@code N} values in {@code [0, t)}; missing coefficients are zero. */
    public AdditiveCiphertext encrypt(StudyPublicKey key, long[] values, RandomSource random) {
        Ring ring = parameters.ring();
        if (values.length > ring.degree()) {
            throw new IllegalArgumentException("at most N = " + ring.degree() + " values per ciphertext");
        }
        long t = parameters.plaintextModulus();
        long delta = parameters.delta();
        long[] scaled = new long[ring.degree()];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= t) {
                throw new IllegalArgumentException("value out of [0, t): " + values[i]);
            }
            scaled[i] = values[i] * delta;
        }
        Poly u = parameters.secretDistribution().poly(ring, random);
        Poly e1 = parameters.errorDistribution().poly(ring, random);
        Poly e2 = parameters.errorDistribution().poly(ring, random);
        Poly c0 = key.b().multiply(u).add(e1).add(Poly.of(ring, scaled));
        Poly c1 = key.a().multiply(u).add(e2);
        return new AdditiveCiphertext(parameters, c0, c1, 1);
    }

    /** The homomorphic sum; its record count is the sum of the operands'. */
    public AdditiveCiphertext add(AdditiveCiphertext x, AdditiveCiphertext y) {
        int records = Math.addExact(x.records(), y.records());
        if (records > parameters.maxAdditions()) {
            throw new IllegalStateException("noise budget covers sums of at most " + parameters.maxAdditions() + " ciphertexts");
        }
        return new AdditiveCiphertext(parameters, x.c0().add(y.c0()), x.c1().add(y.c1()), records);
    }

    /** Sum of a non-empty list of ciphertexts. */
    public AdditiveCiphertext sum(List<AdditiveCiphertext> ciphertexts) {
        AdditiveCiphertext acc = ciphertexts.get(0);
        for (int i = 1; i < ciphertexts.size(); i++) {
            acc = add(acc, ciphertexts.get(i));
        }
        return acc;
    }

    /**
     * Party {@code i}'s partial decryption {@code c_1·s_i + E_i}, refused when the aggregate covers
     * fewer than {@code minimumCohort} records.
     */
    public PartialDecryption partialDecrypt(KeyShare share, AdditiveCiphertext aggregate, int minimumCohort,
                                            RandomSource random) {
        if (aggregate.records() < minimumCohort) {
            throw new CohortTooSmallException(aggregate.records(), minimumCohort);
        }
        Ring ring = parameters.ring();
        Poly smudging = new BoundedUniform(parameters.smudgingBound()).poly(ring, random);
        return new PartialDecryption(share.party(), aggregate.c1().multiply(share.secret()).add(smudging));
    }

    /**
     * {@code m = ⌊(c_0 − Σ d_i)/Δ⌉ mod t}. With a share missing the result is {@code m} plus a
     * uniformly random polynomial, i.e. garbage: there is no partial answer.
     */
    public long[] combine(AdditiveCiphertext aggregate, List<PartialDecryption> partials) {
        Poly x = aggregate.c0();
        for (PartialDecryption d : partials) {
            x = x.subtract(d.share());
        }
        return decode(x);
    }

    private long[] decode(Poly x) {
        Modulus m = parameters.ring().modulus();
        long delta = parameters.delta();
        long t = parameters.plaintextModulus();
        long[] out = new long[parameters.ring().degree()];
        for (int i = 0; i < out.length; i++) {
            long centered = m.centered(x.coefficient(i));
            out[i] = Math.floorMod(roundDivide(centered, delta), t);
        }
        return out;
    }

    /** {@code ⌊a/b⌉} for {@code b > 0}, exact in integer arithmetic. */
    static long roundDivide(long a, long b) {
        return Math.floorDiv(a + b / 2, b);
    }

    @Override
    public String toString() {
        return "RingLweAdditive" + parameters;
    }
}
