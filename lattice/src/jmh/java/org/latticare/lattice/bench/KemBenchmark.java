package org.latticare.lattice.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.latticare.lattice.kem.Encapsulation;
import org.latticare.lattice.kem.Kem;
import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.TrapdoorLweKem;
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

/**
 * The paper's claim of "lower time and space complexity", tested: the trapdoor-LWE KEM (PAPER and
 * STANDARD) beside ML-KEM-768, all from encoded keys, as a record layer uses them. Sizes are printed
 * once per trial ("sizes:" lines).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KemBenchmark {

    @Param({"ML-KEM-768", "TrapdoorLWE-STANDARD", "TrapdoorLWE-PAPER"})
    public String kemName;

    private Kem kem;
    private KemKeyPair keys;
    private Encapsulation encapsulation;
    private final SecureRandom random = new SecureRandom();

    @Setup(Level.Trial)
    public void setUp() {
        kem = switch (kemName) {
            case "ML-KEM-768" -> new MlKem768();
            case "TrapdoorLWE-STANDARD" -> new TrapdoorLweKem(TrapdoorParameters.STANDARD);
            case "TrapdoorLWE-PAPER" -> new TrapdoorLweKem(TrapdoorParameters.PAPER);
            default -> throw new IllegalArgumentException(kemName);
        };
        keys = kem.generateKeyPair(random);
        encapsulation = kem.encapsulate(keys.publicKey(), random);
        System.out.printf("%nsizes: %s public key %d B, private key %d B, ciphertext %d B%n",
                kem.name(), keys.publicKey().length, keys.privateKey().length, encapsulation.ciphertext().length);
    }

    @Benchmark
    public KemKeyPair keygen() {
        return kem.generateKeyPair(random);
    }

    @Benchmark
    public Encapsulation encaps() {
        return kem.encapsulate(keys.publicKey(), random);
    }

    @Benchmark
    public byte[] decaps() {
        return kem.decapsulate(keys.privateKey(), encapsulation.ciphertext());
    }
}
