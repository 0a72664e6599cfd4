package org.latticare.zkp.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.latticare.zkp.ring.VerifierSignatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** ML-DSA-65 (Bouncy Castle) sign and verify: the reference the N = 256 proof is held against. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MlDsaBenchmark {

    private MLDSAPrivateKeyParameters privateKey;
    private MLDSAPublicKeyParameters publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() {
        AsymmetricCipherKeyPair pair = VerifierSignatures.generate(new SecureRandom());
        privateKey = (MLDSAPrivateKeyParameters) pair.getPrivate();
        publicKey = (MLDSAPublicKeyParameters) pair.getPublic();
        message = "bench".getBytes(StandardCharsets.UTF_8);
        signature = VerifierSignatures.sign(privateKey, message);
    }

    @Benchmark
    public byte[] mlDsa65Sign() {
        return VerifierSignatures.sign(privateKey, message);
    }

    @Benchmark
    public boolean mlDsa65Verify() {
        return VerifierSignatures.verify(publicKey, message, signature);
    }
}
