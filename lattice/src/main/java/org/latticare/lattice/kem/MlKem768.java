package org.latticare.lattice.kem;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM-768 (FIPS 203) from Bouncy Castle's lightweight API. Keys are FIPS 203 encodings: the
 * 1184-byte encapsulation key and the 2400-byte decapsulation key. Decapsulation uses FIPS 203's
 * implicit rejection: a tampered ciphertext yields an unrelated secret (and the record layer's AES-GCM
 * then fails), so only malformed input raises {@link KemException} here.
 */
public final class MlKem768 implements Kem {

    private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;

    @Override
    public String name() {
        return "ML-KEM-768";
    }

    @Override
    public KemKeyPair generateKeyPair(SecureRandom random) {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(random, PARAMETERS));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        MLKEMPrivateKeyParameters privateKey = ((MLKEMPrivateKeyParameters) pair.getPrivate())
                .getParametersWithFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY);
        return new KemKeyPair(((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded(), privateKey.getEncoded());
    }

    @Override
    public Encapsulation encapsulate(byte[] publicKey, SecureRandom random) {
        if (publicKey.length != publicKeyBytes()) {
            throw new KemException("ML-KEM-768 public key must be " + publicKeyBytes() + " bytes, got " + publicKey.length);
        }
        try {
            SecretWithEncapsulation result = new MLKEMGenerator(random)
                    .generateEncapsulated(new MLKEMPublicKeyParameters(PARAMETERS, publicKey));
            return new Encapsulation(result.getSecret(), result.getEncapsulation());
        } catch (IllegalArgumentException e) {
            // FIPS 203 input check: coefficients of the key must be below q
            throw new KemException("malformed ML-KEM-768 public key: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] decapsulate(byte[] privateKey, byte[] ciphertext) {
        if (privateKey.length != privateKeyBytes()) {
            throw new KemException("ML-KEM-768 private key must be " + privateKeyBytes() + " bytes, got " + privateKey.length);
        }
        if (ciphertext.length != ciphertextBytes()) {
            throw new KemException("ML-KEM-768 ciphertext must be " + ciphertextBytes() + " bytes, got " + ciphertext.length);
        }
        try {
            return new MLKEMExtractor(new MLKEMPrivateKeyParameters(PARAMETERS, privateKey)).extractSecret(ciphertext);
        } catch (IllegalArgumentException e) {
            throw new KemException("malformed ML-KEM-768 private key: " + e.getMessage(), e);
        }
    }

    @Override
    public int publicKeyBytes() {
        return 1184;
    }

    @Override
    public int privateKeyBytes() {
        return 2400;
    }

    @Override
    public int ciphertextBytes() {
        return 1088;
    }
}
