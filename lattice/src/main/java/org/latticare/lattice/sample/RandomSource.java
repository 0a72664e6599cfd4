package org.latticare.lattice.sample;

import java.security.SecureRandom;
import java.util.Objects;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * A buffered stream of random bytes that the samplers draw from. Secret randomness comes from
 * {@link #secure()} (a {@link SecureRandom} read in 4 KiB blocks, because one call per coefficient
 * would dominate the cost of sampling); public expansion uses a SHAKE-128 stream and reproducible
 * tests an AES-CTR stream.
 * Instances are not thread-safe: give each thread its own.
 */
public abstract class RandomSource {

    private final byte[] buffer;
    private int position;

    protected RandomSource(int bufferSize) {
        this.buffer = new byte[bufferSize];
        this.position = bufferSize;
    }

    /** Fills {@code block} completely with fresh bytes. */
    protected abstract void refill(byte[] block);

    /** Secret randomness from a new {@link SecureRandom}. */
    public static RandomSource secure() {
        return secure(new SecureRandom());
    }

    public static RandomSource secure(SecureRandom random) {
        Objects.requireNonNull(random);
        return new RandomSource(4096) {
            @Override
            protected void refill(byte[] block) {
                random.nextBytes(block);
            }
        };
    }

    /**
     * Deterministic randomness for tests: AES-256 in counter mode keyed with SHA3-256 of {@code seed}
     * (an SP 800-90A-style CTR generator without reseeding). AES rather than SHAKE because the JVM
     * runs it on AES-NI, an order of magnitude faster, and the 10^5-trial tests draw gigabytes.
     */
    public static RandomSource deterministic(byte[] seed) {
        byte[] key = sha3(seed);
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            byte[] zeros = new byte[8192];
            return new RandomSource(8192) {
                @Override
                protected void refill(byte[] block) {
                    try {
                        aes.update(zeros, 0, block.length, block, 0);
                    } catch (ShortBufferException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is required by every Java SE platform", e);
        }
    }

    private static byte[] sha3(byte[] input) {
        SHA3Digest digest = new SHA3Digest(256);
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    /** The SHAKE-256 stream of {@code input} (challenges, key derivation). */
    public static RandomSource shake256(byte[] input) {
        return xof(256, input);
    }

    /** The SHAKE-128 stream of {@code input}: the public expansion function (matrices from seeds). */
    public static RandomSource shake128(byte[] input) {
        return xof(128, input);
    }

    private static RandomSource xof(int strength, byte[] input) {
        SHAKEDigest shake = new SHAKEDigest(strength);
        shake.update(input, 0, input.length);
        int rate = strength == 128 ? 168 : 136;
        return new RandomSource(rate * 8) {
            @Override
            protected void refill(byte[] block) {
                shake.doOutput(block, 0, block.length);
            }
        };
    }

    public final void nextBytes(byte[] out) {
        int done = 0;
        while (done < out.length) {
            if (position == buffer.length) {
                refill(buffer);
                position = 0;
            }
            int n = Math.min(out.length - done, buffer.length - position);
            System.arraycopy(buffer, position, out, done, n);
            position += n;
            done += n;
        }
    }

    public final int nextByte() {
        if (position == buffer.length) {
            refill(buffer);
            position = 0;
        }
        return buffer[position++] & 0xff;
    }

    /** A uniform integer in {@code [0, 2^bits)}, {@code 1 <= bits <= 63}, read little-endian. */
    public final long nextBits(int bits) {
        if (bits < 1 || bits > 63) {
            throw new IllegalArgumentException("bits must be in [1, 63]");
        }
        long v = 0;
        int bytes = (bits + 7) >>> 3;
        for (int i = 0; i < bytes; i++) {
            v |= (long) nextByte() << (8 * i);
        }
        return v & ((1L << bits) - 1);
    }

    /** A uniform integer in {@code [0, bound)} by rejection (no modulo bias). */
    public final long nextBelow(long bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive");
        }
        if (bound == 1) {
            return 0;
        }
        int bits = 64 - Long.numberOfLeadingZeros(bound - 1);
        long v;
        do {
            v = nextBits(bits);
        } while (v >= bound);
        return v;
    }
}
