package org.latticare.zkp.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.BoundedUniform;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Reason;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.sigma.LyubashevskyIdentification;

class RingChallengeIdentificationTest {

    private static final IdentificationParameters P = IdentificationParameters.N256;
    private static final int RING = 3;
    private static IdentityKeyPair identity;

    @BeforeAll
    static void enrol() {
        identity = IdentityKeyPair.generate(P, random("enrolment"));
    }

    private static RandomSource random(String label) {
        return RandomSource.deterministic(label.getBytes(StandardCharsets.UTF_8));
    }

    private static RingHarness harness(String session, Settings settings, QuorumRule rule) {
        return new RingHarness(P, identity, RING, settings, rule, session, random("verifiers-" + session));
    }

    @Test
    void honestProverIsIdentifiedByEveryVerifierOverThreeRoundsIncludingRestartedRounds() {
        Settings settings = new Settings(3, 64);
        RingHarness h = harness("complete", settings, QuorumRule.all(RING));
        var start = ProverSession.start(identity, h.members, settings, "complete", random("prover-complete"));
        ProverSession[] prover = {start.state()};

        h.run(start.messages(), RingHarness.honest(prover));

        assertThat(h.refusals).isEmpty();
        assertThat(prover[0].phase()).isEqualTo(ProverSession.Phase.DONE);
        assertThat(prover[0].restarts()).as("rounds restarted by rejection sampling").isPositive();
        assertThat(h.verifiers).allSatisfy(v -> assertThat(v.restarts()).isEqualTo(prover[0].restarts()));
        assertThat(h.verdicts).hasSize(RING).allMatch(Verdict::accepted).allMatch(v -> v.rounds() == 3);
        assertThat(h.tally.decision().identified()).isTrue();
        assertThat(h.tally.decision().accepting()).containsExactly(0, 1, 2);
        // every verifier saw the same transcript
        assertThat(h.verdicts).allSatisfy(v -> assertThat(v.transcript()).isEqualTo(h.verdicts.get(0).transcript()));
        // each response answers the E2 of the challenge issued for its attempt, and names its commitments
        List<Response> responses = h.log.stream().filter(m -> m instanceof Response).map(m -> (Response) m).toList();
        assertThat(responses).hasSize(3).allSatisfy(r -> {
            ChallengeIssued issued = h.log.stream().filter(m -> m instanceof ChallengeIssued c
                    && c.round() == r.round() && c.attempt() == r.attempt()).map(m -> (ChallengeIssued) m)
                    .findFirst().orElseThrow();
            assertThat(r.accumulator()).isEqualTo(issued.accumulator());
            assertThat(r.commitments()).containsExactlyElementsOf(
                    issued.hops().stream().map(RingChallengeIdentification.Hop::commitment).toList());
        });
    }

    @Test
    void paperNotationSetNEquals1IdentifiesAnHonestProver() {
        IdentificationParameters p1 = IdentificationParameters.N1;
        IdentityKeyPair keys = IdentityKeyPair.generate(p1, random("n1-enrolment"));
        Settings settings = Settings.standard();
        RingHarness h = new RingHarness(p1, keys, 2, settings, QuorumRule.all(2), "n1", random("n1-verifiers"));
        var start = ProverSession.start(keys, h.members, settings, "n1", random("n1-prover"));
        ProverSession[] prover = {start.state()};

        h.run(start.messages(), RingHarness.honest(prover));

        assertThat(h.refusals).isEmpty();
        assertThat(h.tally.decision().identified()).isTrue();
    }

    /** A prover who answers each challenge with {@code forge(u, c, session)} instead of knowing S. */
    private static RingHarness runCheater(String session, BiFunction<ChallengeIssued, PolyVector[], PolyVector> forge) {
        return runCheater(session, true, forge);
    }

    private static RingHarness runCheater(String session, boolean throughBytes,
            BiFunction<ChallengeIssued, PolyVector[], PolyVector> forge) {
        Settings settings = Settings.standard();
        RingHarness h = harness(session, settings, QuorumRule.majority(RING));
        h.throughBytes = throughBytes;
        // the cheater commits like an honest prover (it may know any u it likes) ...
        var start = ProverSession.start(identity, h.members, settings, session, random("cheater-" + session));
        PolyVector u = ((RingChallengeIdentification.Commitment) start.messages().get(0)).u();
        h.run(start.messages(), (harness, m) -> {
            if (!(m instanceof ChallengeIssued challenge)) {
                return List.of();
            }
            byte[] seed = RingChallengeIdentification.challengeSeed(identity.publicKey(), session, 0, 0, u,
                    challenge.accumulator());
            PolyVector c = LyubashevskyIdentification.challenge(P, seed);
            // ... but answers without S
            return List.of(new Response(session, 0, 0, challenge.accumulator(),
                    challenge.hops().stream().map(RingChallengeIdentification.Hop::commitment).toList(),
                    forge.apply(challenge, new PolyVector[] {u, c})));
        });
        return h;
    }

    private static void assertRefused(RingHarness h, Reason reason) {
        assertThat(h.verdicts).hasSize(RING).allSatisfy(v -> {
            assertThat(v.accepted()).isFalse();
            assertThat(v.reason()).isEqualTo(reason);
        });
        assertThat(h.tally.decision().identified()).isFalse();
    }

    @Test
    void randomShortZIsRefused() {
        RandomSource r = random("random-z");
        RingHarness h = runCheater("random-z", (ch, uc) -> PolyVector.ofCoefficients(P.ring(),
                new BoundedUniform(P.responseBound()).samples(P.witnessLength() * P.degree(), r)));
        assertRefused(h, Reason.EQUATION);
    }

    @Test
    void replayedZFromAnEarlierSessionIsRefused() {
        Settings settings = Settings.standard();
        RingHarness earlier = harness("earlier", settings, QuorumRule.all(RING));
        var start = ProverSession.start(identity, earlier.members, settings, "earlier", random("earlier-prover"));
        ProverSession[] prover = {start.state()};
        earlier.run(start.messages(), RingHarness.honest(prover));
        assertThat(earlier.tally.decision().identified()).isTrue();
        PolyVector recorded = earlier.log.stream().filter(m -> m instanceof Response).map(m -> ((Response) m).z())
                .reduce((a, b) -> b).orElseThrow();

        RingHarness h = runCheater("replay", (ch, uc) -> recorded);

        assertRefused(h, Reason.EQUATION);
    }

    @Test
    void zComputedForAnotherChallengeIsRefused() {
        // even a prover holding S cannot answer a challenge other than the ring's
        RandomSource r = random("other-challenge");
        RingHarness h = runCheater("other-challenge", (ch, uc) -> {
            byte[] otherSeed = new byte[32];
            r.nextBytes(otherSeed);
            PolyVector other = LyubashevskyIdentification.challenge(P, otherSeed);
            Optional<PolyVector> z;
            do {
                z = LyubashevskyIdentification.respond(identity.secretKey(),
                        LyubashevskyIdentification.commit(identity.publicKey(), r), other);
            } while (z.isEmpty());
            return z.get();
        });
        assertRefused(h, Reason.EQUATION);
    }

    @Test
    void aLongZThatSatisfiesTheEquationIsRefusedByTheNormBound() {
        // without the bound anyone passes: z = (0; u + T c) solves [A | I] z − T c = u
        // over-bound z has no canonical encoding (see MessageCodecTest); here the session's own check is tested
        RingHarness h = runCheater("long-z", false, (ch, uc) -> {
            PolyVector zero = PolyVector.zero(P.ring(), P.columns());
            PolyVector z = zero.concat(uc[0].add(identity.publicKey().t().multiply(uc[1])));
            assertThat(LyubashevskyIdentification.recompute(identity.publicKey(), uc[1], z)).isEqualTo(uc[0]);
            return z;
        });
        assertRefused(h, Reason.NORM_BOUND);
    }

    @Test
    void quorumIsReachedWithoutTheLastVerdictWhenTheRuleSaysMajority() {
        Settings settings = Settings.standard();
        RingHarness h = harness("majority", settings, QuorumRule.majority(RING));
        var start = ProverSession.start(identity, h.members, settings, "majority", random("prover-majority"));
        ProverSession[] prover = {start.state()};

        h.run(start.messages(), RingHarness.honest(prover));

        assertThat(h.tally.decision().identified()).isTrue();
        assertThat(h.tally.decision().accepting()).hasSize(2);
    }

    @Test
    void accumulatorIsSha3OfPreviousPositionAndContribution() throws Exception {
        byte[] acc = new byte[32];
        byte[] contribution = new byte[32];
        contribution[0] = 7;
        java.security.MessageDigest sha3 = java.security.MessageDigest.getInstance("SHA3-256");
        sha3.update(acc);
        sha3.update(new byte[] {0, 0, 1, 2});
        sha3.update(contribution);
        assertThat(RingAccumulator.fold(acc, 0x0102, contribution)).isEqualTo(sha3.digest());
    }
}
