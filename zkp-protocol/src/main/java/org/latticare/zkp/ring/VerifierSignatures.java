package org.latticare.zkp.ring;

import java.security.SecureRandom;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;

/** ML-DSA-65 (FIPS 204, Bouncy Castle) for hop contributions and verdicts (CRYPTO.md section 5). */
public final class VerifierSignatures {

    /** ML-DSA-65 signature length. */
    public static final int SIGNATURE_BYTES = 3309;

    private VerifierSignatures() {
    }

    public static AsymmetricCipherKeyPair generate(SecureRandom random) {
        MLDSAKeyPairGenerator generator = new MLDSAKeyPairGenerator();
        generator.init(new MLDSAKeyGenerationParameters(random, MLDSAParameters.ml_dsa_65));
        return generator.generateKeyPair();
    }

    public static byte[] sign(MLDSAPrivateKeyParameters key, byte[] message) {
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, new ParametersWithRandom(key, new SecureRandom()));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("ML-DSA signing failed", e);
        }
    }

    public static boolean verify(MLDSAPublicKeyParameters key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
