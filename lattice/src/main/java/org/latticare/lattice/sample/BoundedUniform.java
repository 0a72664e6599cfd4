package org.latticare.lattice.sample;

/**
 * Uniform on {@code [-γ, γ]}: the masks {@code y} of Lyubashevsky's identification, secrets
 * {@code [-η, η]} as in ML-DSA, and the smudging (flooding) noise of threshold decryption.
 */
public record BoundedUniform(long gamma) implements ShortDistribution {

    public BoundedUniform {
        if (gamma < 0 || gamma > (1L << 61)) {
            throw new IllegalArgumentException("gamma must be in [0, 2^61], got " + gamma);
        }
    }

    @Override
    public long sample(RandomSource random) {
        return random.nextBelow(2 * gamma + 1) - gamma;
    }

    /**
     * Bulk path for small ranges ({@code 2γ+1 ≤ 256}): one byte per attempt, accepted below the largest
     * multiple of the range, so about one byte per sample instead of a call per bit group.
     */
    @Override
    public long[] samples(int count, RandomSource random) {
        int range = (int) Math.min(2 * gamma + 1, Integer.MAX_VALUE);
        if (range > 256) {
            return ShortDistribution.super.samples(count, random);
        }
        int limit = 256 - 256 % range;
        long[] out = new long[count];
        byte[] chunk = new byte[Math.min(4096, count + count / 8 + 16)];
        int filled = 0;
        while (filled < count) {
            random.nextBytes(chunk);
            for (int i = 0; i < chunk.length && filled < count; i++) {
                int v = chunk[i] & 0xff;
                if (v < limit) {
                    out[filled++] = v % range - gamma;
                }
            }
        }
        return out;
    }

    @Override
    public long bound() {
        return gamma;
    }

    @Override
    public double variance() {
        double g = gamma;
        return g * (g + 1) / 3.0;
    }
}
