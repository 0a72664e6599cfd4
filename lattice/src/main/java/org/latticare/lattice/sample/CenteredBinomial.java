package org.latticare.lattice.sample;

/** {@code Σ_{i<η} (a_i - b_i)} for uniform bits {@code a_i, b_i}: the ML-KEM noise distribution. */
public record CenteredBinomial(int eta) implements ShortDistribution {

    public CenteredBinomial {
        if (eta < 1 || eta > 31) {
            throw new IllegalArgumentException("eta must be in [1, 31], got " + eta);
        }
    }

    @Override
    public long sample(RandomSource random) {
        long bits = random.nextBits(2 * eta);
        return Long.bitCount(bits & ((1L << eta) - 1)) - Long.bitCount(bits >>> eta);
    }

    /** Bulk path: the {@code 2η} bits of each sample are read from one block of random bytes. */
    @Override
    public long[] samples(int count, RandomSource random) {
        int bytesPerSample = (2 * eta + 7) / 8;
        long mask = (1L << eta) - 1;
        byte[] block = new byte[count * bytesPerSample];
        random.nextBytes(block);
        long[] out = new long[count];
        for (int i = 0, off = 0; i < count; i++, off += bytesPerSample) {
            long bits = 0;
            for (int b = 0; b < bytesPerSample; b++) {
                bits |= (long) (block[off + b] & 0xff) << (8 * b);
            }
            out[i] = Long.bitCount(bits & mask) - Long.bitCount((bits >>> eta) & mask);
        }
        return out;
    }

    @Override
    public long bound() {
        return eta;
    }

    @Override
    public double variance() {
        return eta / 2.0;
    }
}
