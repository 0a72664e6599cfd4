package org.latticare.lattice.sign;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * ML-DSA-65 (FIPS 204, Bouncy Castle): the one signature wrapper of the project, for blocks, transactions,
 * identities, ring hops and verdicts.
 * Keys are kept as their 32-byte seed; the expanded private key is derived once per {@link KeyPair}.
 */
public final class MlDsa65 {

  public static final int SEED_BYTES = 32;
  public static final int PUBLIC_KEY_BYTES = 1952;
  public static final int SIGNATURE_BYTES = 3309;
  private static final MLDSAParameters PARAMETERS = MLDSAParameters.ml_dsa_65;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final LongAdder VERIFICATIONS = new LongAdder();

  private MlDsa65() {}

  public static KeyPair generate() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return KeyPair.fromSeed(seed);
  }

  /** Verifications performed in this JVM, so a benchmark can count what each transaction costs. */
  public static long verifications() {
    return VERIFICATIONS.sum();
  }

  /** False for a wrong signature, and also for a key or signature of the wrong length: never throws. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    VERIFICATIONS.increment();
    if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    MLDSASigner verifier = new MLDSASigner();
    verifier.init(false, new MLDSAPublicKeyParameters(PARAMETERS, publicKey));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  /** A signing key: its seed (secret) and public key. */
  public static final class KeyPair {
    private final byte[] seed;
    private final MLDSAPrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private KeyPair(byte[] seed) {
      this.seed = seed.clone();
      this.privateKey = new MLDSAPrivateKeyParameters(PARAMETERS, this.seed);
      this.publicKey = privateKey.getPublicKey();
    }

    public static KeyPair fromSeed(byte[] seed) {
      if (seed.length != SEED_BYTES) {
        throw new IllegalArgumentException("an ML-DSA-65 seed has " + SEED_BYTES + " bytes, not " + seed.length);
      }
      return new KeyPair(seed);
    }

    public byte[] seed() {
      return seed.clone();
    }

    public byte[] publicKey() {
      return publicKey.clone();
    }

    public byte[] sign(byte[] message) {
      MLDSASigner signer = new MLDSASigner();
      signer.init(true, privateKey);
      signer.update(message, 0, message.length);
      try {
        return signer.generateSignature();
      } catch (CryptoException e) {
        throw new IllegalStateException("ML-DSA-65 signing failed", e);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof KeyPair that && Arrays.equals(seed, that.seed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      return "MlDsa65.KeyPair[public key " + HexFormat.of().formatHex(publicKey, 0, 8) + "…]";
    }
  }
}
