package org.latticare.lattice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.latticare.lattice.additive.AdditiveCiphertext;
import org.latticare.lattice.additive.KeyShare;
import org.latticare.lattice.additive.PartialDecryption;
import org.latticare.lattice.additive.RingLweAdditive;
import org.latticare.lattice.additive.RingLweParameters;
import org.latticare.lattice.additive.StudyPublicKey;
import org.latticare.lattice.sample.RandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encrypted statistics at N = 4096, 60-bit q, five key holders: encrypt, add, threshold decrypt. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RingLweAdditiveBenchmark {

    static final int PARTIES = 5;

    private final RingLweAdditive scheme = new RingLweAdditive(RingLweParameters.STATISTICS);
    private final RandomSource random = RandomSource.secure();
    private final List<KeyShare> shares = new ArrayList<>();
    private StudyPublicKey key;
    private long[] values;
    private AdditiveCiphertext x;
    private AdditiveCiphertext y;

    @Setup(Level.Trial)
    public void setUp() {
        key = scheme.emptyKey(new byte[32]);
        for (int i = 0; i < PARTIES; i++) {
            KeyShare share = scheme.generateShare(key, i, random);
            shares.add(share);
            key = key.plus(share);
        }
        values = new long[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextBelow(100);
        }
        x = scheme.encrypt(key, values, random);
        y = scheme.encrypt(key, values, random);
    }

    @Benchmark
    public AdditiveCiphertext encrypt() {
        return scheme.encrypt(key, values, random);
    }

    @Benchmark
    public AdditiveCiphertext add() {
        return scheme.add(x, y);
    }

    /** All five partial decryptions (one per node, normally in parallel on five machines) and the combination. */
    @Benchmark
    public long[] thresholdDecrypt() {
        List<PartialDecryption> partials = new ArrayList<>(PARTIES);
        for (KeyShare share : shares) {
            partials.add(scheme.partialDecrypt(share, x, 1, random));
        }
        return scheme.combine(x, partials);
    }
}
