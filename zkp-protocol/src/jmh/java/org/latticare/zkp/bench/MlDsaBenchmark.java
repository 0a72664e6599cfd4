package org.latticare.zkp.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.latticare.lattice.sign.MlDsa65;
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

    private MlDsa65.KeyPair keys;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() {
        keys = MlDsa65.generate();
        publicKey = keys.publicKey();
        message = "bench".getBytes(StandardCharsets.UTF_8);
        signature = keys.sign(message);
    }

    @Benchmark
    public byte[] mlDsa65Sign() {
        return keys.sign(message);
    }

    @Benchmark
    public boolean mlDsa65Verify() {
        return MlDsa65.verify(publicKey, message, signature);
    }
}
