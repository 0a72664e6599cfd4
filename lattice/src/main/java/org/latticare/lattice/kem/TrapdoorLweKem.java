package org.latticare.lattice.kem;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.latticare.lattice.encoding.MalformedEncodingException;
import org.latticare.lattice.encoding.TrapdoorEncoding;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.trapdoor.DecryptionException;
import org.latticare.lattice.trapdoor.GadgetTrapdoor;
import org.latticare.lattice.trapdoor.TrapdoorCiphertext;
import org.latticare.lattice.trapdoor.TrapdoorLwe;
import org.latticare.lattice.trapdoor.TrapdoorParameters;
import org.latticare.lattice.trapdoor.TrapdoorPublicKey;

/**
 * The corrected Section 3 scheme ({@link TrapdoorLwe}) used as a KEM: it encrypts a random 256-bit
 * {@code μ}, one bit per plaintext symbol, and the shared secret is {@code SHAKE-256(μ, seed(A))}.
 *
 * <p>{@link TrapdoorLwe} is only IND-CPA, so the KEM applies the Fujisaki–Okamoto transform with
 * explicit rejection ({@code FO^⊥_m} of Hofheinz–Hövelmanns–Kiltz 2017): the encryption coins are
 * {@code SHAKE-256("coins", seed(A), μ)}, and decapsulation re-encrypts the recovered {@code μ} and
 * refuses any ciphertext that is not exactly that re-encryption. A tampered ciphertext is therefore
 * rejected, not decrypted to something related.
 */
public final class TrapdoorLweKem implements Kem {

    private static final int MESSAGE_BITS = 256;

    private final TrapdoorParameters parameters;
    private final TrapdoorLwe scheme;

    public TrapdoorLweKem(TrapdoorParameters parameters) {
        if (parameters.plaintextLength() < MESSAGE_BITS) {
            throw new IllegalArgumentException(parameters.name() + " carries fewer than 256 plaintext symbols");
        }
        this.parameters = parameters;
        this.scheme = new TrapdoorLwe(parameters);
    }

    @Override
    public String name() {
        return "TrapdoorLWE-" + parameters.name();
    }

    @Override
    public KemKeyPair generateKeyPair(SecureRandom random) {
        GadgetTrapdoor trapdoor = scheme.generateKeys(RandomSource.secure(random));
        return new KemKeyPair(TrapdoorEncoding.encodePublicKey(trapdoor.publicKey()), TrapdoorEncoding.encodePrivateKey(trapdoor));
    }

    @Override
    public Encapsulation encapsulate(byte[] publicKey, SecureRandom random) {
        TrapdoorPublicKey key = decodePublicKey(publicKey);
        byte[] mu = new byte[MESSAGE_BITS / 8];
        random.nextBytes(mu);
        TrapdoorCiphertext c = encryptDeterministically(key, mu);
        return new Encapsulation(sharedSecret(key, mu), TrapdoorEncoding.encodeCiphertext(c));
    }

    @Override
    public byte[] decapsulate(byte[] privateKey, byte[] ciphertext) {
        GadgetTrapdoor trapdoor;
        TrapdoorCiphertext c;
        try {
            trapdoor = TrapdoorEncoding.decodePrivateKey(privateKey);
            c = TrapdoorEncoding.decodeCiphertext(ciphertext);
        } catch (MalformedEncodingException e) {
            throw new KemException("malformed key or ciphertext: " + e.getMessage(), e);
        }
        if (c.parameters() != parameters || trapdoor.parameters() != parameters) {
            throw new KemException("key or ciphertext is not for " + name());
        }
        long[] b;
        try {
            b = scheme.decrypt(trapdoor, c);
        } catch (DecryptionException e) {
            throw new KemException("ciphertext rejected: " + e.getMessage(), e);
        }
        byte[] mu = new byte[MESSAGE_BITS / 8];
        for (int i = 0; i < MESSAGE_BITS; i++) {
            mu[i >>> 3] |= (byte) (b[i] << (i & 7));
        }
        byte[] reencrypted = TrapdoorEncoding.encodeCiphertext(encryptDeterministically(trapdoor.publicKey(), mu));
        if (!MessageDigest.isEqual(reencrypted, ciphertext)) {
            throw new KemException("ciphertext rejected: not the re-encryption of its plaintext");
        }
        return sharedSecret(trapdoor.publicKey(), mu);
    }

    private TrapdoorCiphertext encryptDeterministically(TrapdoorPublicKey key, byte[] mu) {
        long[] b = new long[parameters.plaintextLength()];
        for (int i = 0; i < MESSAGE_BITS; i++) {
            b[i] = (mu[i >>> 3] >>> (i & 7)) & 1;
        }
        return scheme.encrypt(key, b, RandomSource.shake256(derive("latticare/trapdoor-kem/coins", key, mu, 32)));
    }

    private static byte[] sharedSecret(TrapdoorPublicKey key, byte[] mu) {
        return derive("latticare/trapdoor-kem/key", key, mu, SHARED_SECRET_BYTES);
    }

    private static byte[] derive(String label, TrapdoorPublicKey key, byte[] mu, int length) {
        SHAKEDigest shake = new SHAKEDigest(256);
        byte[] l = label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        shake.update(l, 0, l.length);
        byte[] seed = key.seed();
        shake.update(seed, 0, seed.length);
        shake.update(mu, 0, mu.length);
        byte[] out = new byte[length];
        shake.doFinal(out, 0, length);
        return out;
    }

    private TrapdoorPublicKey decodePublicKey(byte[] publicKey) {
        TrapdoorPublicKey key;
        try {
            key = TrapdoorEncoding.decodePublicKey(publicKey);
        } catch (MalformedEncodingException e) {
            throw new KemException("malformed public key: " + e.getMessage(), e);
        }
        if (key.parameters() != parameters) {
            throw new KemException("public key is for " + key.parameters().name() + ", KEM is " + name());
        }
        return key;
    }

    @Override
    public int publicKeyBytes() {
        return parameters.publicKeyBytes();
    }

    @Override
    public int privateKeyBytes() {
        return parameters.privateKeyBytes();
    }

    @Override
    public int ciphertextBytes() {
        return parameters.ciphertextBytes();
    }
}
