package org.latticare.zkp.bench;

import java.nio.charset.StandardCharsets;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * Sizes and measured rejection rates (not timings): the non-interactive proof {@code (c̃, z1)} and its
 * attempts per proof against {@link IdentificationParameters#expectedProofAttempts()}, the public key,
 * the interactive transcript per accepted round (Commitment + Response with z in full; the ring's
 * ChallengeIssued adds n × 3 375 bytes of signed hops), beside ML-DSA-65's signature and public key.
 */
public final class Sizes {

    private Sizes() {
    }

    public static void main(String[] args) {
        RandomSource random = RandomSource.deterministic("sizes".getBytes(StandardCharsets.UTF_8));
        byte[] context = "sizes".getBytes(StandardCharsets.UTF_8);
        System.out.printf("%-12s %8s %8s %10s %8s %10s %12s %15s %9s %8s %10s%n", "set", "proof B", "÷ML-DSA",
                "pk B", "commit B", "response B", "proofs", "attempts/proof", "± s.e.", "expected", "chal. bits");
        for (IdentificationParameters p : new IdentificationParameters[] {IdentificationParameters.N256, IdentificationParameters.N1}) {
            IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
            int proofs = p.degree() == 1 ? 1000 : 3000;
            long attempts = 0;
            long attemptsSquared = 0;
            NonInteractiveProof.Proof last = null;
            for (int i = 0; i < proofs; i++) {
                NonInteractiveProof.Proved proved = NonInteractiveProof.prove(keys, context, random);
                if (!NonInteractiveProof.verify(keys.publicKey(), context, proved.proof())) {
                    throw new IllegalStateException("an honest proof did not verify");
                }
                attempts += proved.attempts();
                attemptsSquared += (long) proved.attempts() * proved.attempts();
                last = proved.proof();
            }
            double mean = (double) attempts / proofs;
            double standardError = Math.sqrt(((double) attemptsSquared / proofs - mean * mean) / (proofs - 1));
            int proofBytes = last.encode().length;
            int commit = MessageCodec.encode(p, new Commitment("s", 0, 0, PolyVector.zero(p.ring(), p.rows()))).length;
            // a response on a ring of three names the E2 and the three commitments it answered
            int response = MessageCodec.encode(p, new Response("s", 0, 0, new byte[32],
                    java.util.Collections.nCopies(3, new byte[32]), PolyVector.zero(p.ring(), p.witnessLength()))).length;
            System.out.printf("%-12s %8d %8.3f %10d %8d %10d %12d %15.3f %9.3f %8.3f %10.1f%n", p.name(), proofBytes,
                    (double) proofBytes / MlDsa65.SIGNATURE_BYTES, keys.publicKey().encode().length, commit, response,
                    proofs, mean, standardError, p.expectedProofAttempts(), p.challengeSpaceBits());
        }
        MlDsa65.KeyPair mlDsa = MlDsa65.generate();
        byte[] sig = mlDsa.sign(context);
        System.out.printf("%-12s %8d %8.3f %10d%n", "ML-DSA-65", sig.length, (double) sig.length / MlDsa65.SIGNATURE_BYTES,
                mlDsa.publicKey().length);
        System.out.printf("interactive round (z in full): expected attempts %.3f (ring-id-256), %.3f (ring-id-1)%n",
                IdentificationParameters.N256.expectedAttempts(), IdentificationParameters.N1.expectedAttempts());
    }
}
