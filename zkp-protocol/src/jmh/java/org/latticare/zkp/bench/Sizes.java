package org.latticare.zkp.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.VerifierSignatures;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * Sizes and measured rejection rates (not timings): proof, public key, interactive transcript per
 * accepted round (Commitment + Response; the ring's ChallengeIssued adds n × 3 375 bytes of signed
 * hops), beside ML-DSA-65's signature and public key.
 */
public final class Sizes {

    private Sizes() {
    }

    public static void main(String[] args) {
        RandomSource random = RandomSource.deterministic("sizes".getBytes(StandardCharsets.UTF_8));
        byte[] context = "sizes".getBytes(StandardCharsets.UTF_8);
        System.out.printf("%-12s %10s %10s %12s %12s %14s %10s %12s%n", "set", "proof B", "pk B", "commit B",
                "response B", "attempts/proof", "expected", "chal. bits");
        for (IdentificationParameters p : new IdentificationParameters[] {IdentificationParameters.N256, IdentificationParameters.N1}) {
            IdentityKeyPair keys = IdentityKeyPair.generate(p, random);
            int proofs = p.degree() == 1 ? 300 : 3000;
            long attempts = 0;
            NonInteractiveProof.Proof last = null;
            for (int i = 0; i < proofs; i++) {
                NonInteractiveProof.Proved proved = NonInteractiveProof.prove(keys, context, random);
                attempts += proved.attempts();
                last = proved.proof();
            }
            int commit = MessageCodec.encode(p, new Commitment("s", 0, 0, PolyVector.zero(p.ring(), p.rows()))).length;
            int response = MessageCodec.encode(p, new Response("s", 0, 0, last.z())).length;
            System.out.printf("%-12s %10d %10d %12d %12d %14.3f %10.3f %12.1f%n", p.name(), last.encode().length,
                    keys.publicKey().encode().length, commit, response, (double) attempts / proofs, p.expectedAttempts(),
                    p.challengeSpaceBits());
        }
        AsymmetricCipherKeyPair mlDsa = VerifierSignatures.generate(new SecureRandom());
        byte[] sig = VerifierSignatures.sign((MLDSAPrivateKeyParameters) mlDsa.getPrivate(), context);
        System.out.printf("%-12s %10d %10d%n", "ML-DSA-65", sig.length,
                ((MLDSAPublicKeyParameters) mlDsa.getPublic()).getEncoded().length);
    }
}
