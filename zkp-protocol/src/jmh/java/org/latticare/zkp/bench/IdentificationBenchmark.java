package org.latticare.zkp.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.IdentityPublicKey;
import org.latticare.zkp.sigma.LyubashevskyIdentification;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Prove and verify of the non-interactive proof {@code (c̃, z1)} (high-bits compressed, see
 * {@link NonInteractiveProof}), and one interactive E1 + E3 + E4 exchange (local challenge, no ring, no
 * signatures, z in full), for both parameter sets. {@link MlDsaBenchmark} runs beside it in the same
 * jar and run. The prover's randomness is a deterministic AES-CTR stream so that the rejection pattern
 * does not depend on the OS entropy pool. {@link #nizkVerifyColdKey()} decodes the public key first and
 * so re-expands A from its seed, as Bouncy Castle's ML-DSA verify does with ρ; the other verify
 * benchmarks reuse the key object's cached A.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdentificationBenchmark {

    @Param({"ring-id-256", "ring-id-1"})
    public String parameterSet;

    private IdentityKeyPair keys;
    private NonInteractiveProof.Proof proof;
    private byte[] context;
    private byte[] encodedKey;
    private byte[] encodedProof;
    private RandomSource random;

    @Setup
    public void setUp() {
        IdentificationParameters p = parameterSet.equals("ring-id-1") ? IdentificationParameters.N1 : IdentificationParameters.N256;
        random = RandomSource.deterministic(("bench-" + parameterSet).getBytes(StandardCharsets.UTF_8));
        keys = IdentityKeyPair.generate(p, random);
        context = "bench".getBytes(StandardCharsets.UTF_8);
        proof = NonInteractiveProof.prove(keys, context, random).proof();
        encodedKey = keys.publicKey().encode();
        encodedProof = proof.encode();
    }

    @Benchmark
    public NonInteractiveProof.Proved nizkProve() {
        return NonInteractiveProof.prove(keys, context, random);
    }

    @Benchmark
    public boolean nizkVerify() {
        return NonInteractiveProof.verify(keys.publicKey(), context, proof);
    }

    @Benchmark
    public boolean nizkVerifyEncoded() {
        return NonInteractiveProof.verify(keys.publicKey(), context, proof.encode());
    }

    @Benchmark
    public boolean nizkVerifyColdKey() {
        IdentificationParameters p = keys.publicKey().parameters();
        return NonInteractiveProof.verify(IdentityPublicKey.decode(p, encodedKey).orElseThrow(), context, encodedProof);
    }

    /** One accepted interactive round: E1, E3 with its restarts, E4 (challenge from a local seed). */
    @Benchmark
    public LyubashevskyIdentification.Check interactiveRound() {
        IdentificationParameters p = keys.publicKey().parameters();
        byte[] seed = new byte[32];
        while (true) {
            LyubashevskyIdentification.Mask mask = LyubashevskyIdentification.commit(keys.publicKey(), random);
            random.nextBytes(seed);
            PolyVector c = LyubashevskyIdentification.challenge(p, seed);
            var z = LyubashevskyIdentification.respond(keys.secretKey(), mask, c);
            if (z.isPresent()) {
                return LyubashevskyIdentification.check(keys.publicKey(), mask.u(), c, z.get());
            }
        }
    }
}
