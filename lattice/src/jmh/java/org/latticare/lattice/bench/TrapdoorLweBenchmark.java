package org.latticare.lattice.bench;

import java.util.concurrent.TimeUnit;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.trapdoor.GadgetTrapdoor;
import org.latticare.lattice.trapdoor.TrapdoorCiphertext;
import org.latticare.lattice.trapdoor.TrapdoorLwe;
import org.latticare.lattice.trapdoor.TrapdoorParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The Section 3 scheme on decoded keys (no parsing, matrices already in NTT form): the pure cost. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrapdoorLweBenchmark {

    @Param({"STANDARD", "PAPER"})
    public String parameterSet;

    private TrapdoorLwe scheme;
    private GadgetTrapdoor keys;
    private long[] plaintext;
    private TrapdoorCiphertext ciphertext;
    private final RandomSource random = RandomSource.secure();

    @Setup(Level.Trial)
    public void setUp() {
        TrapdoorParameters params = parameterSet.equals("PAPER") ? TrapdoorParameters.PAPER : TrapdoorParameters.STANDARD;
        scheme = new TrapdoorLwe(params);
        keys = scheme.generateKeys(random);
        plaintext = new long[params.plaintextLength()];
        for (int i = 0; i < plaintext.length; i++) {
            plaintext[i] = random.nextBelow(params.plaintextModulus());
        }
        ciphertext = scheme.encrypt(keys.publicKey(), plaintext, random);
        scheme.decrypt(keys, ciphertext);
    }

    @Benchmark
    public TrapdoorCiphertext encrypt() {
        return scheme.encrypt(keys.publicKey(), plaintext, random);
    }

    @Benchmark
    public long[] decrypt() {
        return scheme.decrypt(keys, ciphertext);
    }
}
