package org.latticare.zkp.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Hop;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Reason;
import org.latticare.zkp.ring.RingChallengeIdentification.Reveal;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * The last ring member as the adversarial review played it (CRYPTO.md section 6): it wants a challenge with a
 * property of its choosing, and it may show the prover and the other verifiers different challenges. In the
 * one-lap protocol it saw {@code E2_{n−1}} before drawing {@code V_n} and got its property 40 times in 40;
 * with commitments fixed in lap one it can only open what it committed to, or sign a second commitment, which
 * the other verifiers hold against it.
 */
class RingAdversaryTest {

    private static final IdentificationParameters P = IdentificationParameters.N256;
    private static final int RING = 3;
    private static final int LAST = RING - 1;
    private static final int SESSIONS = 40;
    private static IdentityKeyPair identity;

    @BeforeAll
    static void enrol() {
        identity = IdentityKeyPair.generate(P, random("adversary-enrolment"));
    }

    private static RandomSource random(String label) {
        return RandomSource.deterministic(label.getBytes(StandardCharsets.UTF_8));
    }

    /** The property the adversary wants: the challenge seed's first byte below 16 (1 in 16 for an honest ring). */
    private static boolean wanted(PolyVector u, String session, int round, int attempt, byte[] e2) {
        return (RingChallengeIdentification.challengeSeed(identity.publicKey(), session, round, attempt, u, e2)[0]
                & 0xff) < 16;
    }

    /**
     * The last position: honest machine inside, but once it has every opening it draws contributions until the
     * challenge would have the property, commits to the one it found under its own key, and issues that challenge
     * to the prover and the verifiers; or, {@code onlyToProver}, always shows the prover such a challenge and the
     * verifiers the honest one.
     */
    private static final class GrindingLast {
        private final RingHarness harness;
        private final String session;
        private final boolean onlyToProver;
        private final RandomSource grind;
        private VerifierSession honest;
        private PolyVector u;
        private ChallengeIssued chosen;
        int deviations;

        GrindingLast(RingHarness harness, String session, boolean onlyToProver) {
            this.harness = harness;
            this.session = session;
            this.onlyToProver = onlyToProver;
            this.grind = random("grind-" + session);
            this.honest = harness.verifiers.get(LAST);
        }

        List<Message> onMessage(Message m) {
            if (m instanceof Commitment c) {
                u = c.u();
            }
            var out = honest.onMessage(m);
            honest = out.state();
            List<Message> sent = new ArrayList<>();
            for (Message o : out.messages()) {
                if (o instanceof ChallengeIssued issued && (onlyToProver || !wanted(u, session, issued.round(),
                        issued.attempt(), issued.accumulator()))) {
                    chosen = ground(issued);
                    deviations++;
                    if (onlyToProver) {
                        sent.add(issued);
                        harness.toProver = shown -> shown.attempt() == chosen.attempt() && shown.round() == chosen.round()
                                ? chosen : shown;
                    } else {
                        sent.add(chosen);
                    }
                } else {
                    sent.add(o);
                }
            }
            return sent;
        }

        private ChallengeIssued ground(ChallengeIssued issued) {
            List<Reveal> others = issued.reveals().subList(0, LAST);
            byte[] before = RingAccumulator.foldAll(others);
            byte[] value = new byte[32];
            byte[] salt = new byte[32];
            do {
                grind.nextBytes(value);
                grind.nextBytes(salt);
            } while (!wanted(u, session, issued.round(), issued.attempt(), RingAccumulator.fold(before, LAST, value)));
            byte[] commitment = RingChallengeIdentification.contributionCommitment(session, issued.round(),
                    issued.attempt(), issued.commitmentDigest(), LAST, value, salt);
            byte[] signature = RingHarness.signingKey(LAST).sign(RingChallengeIdentification.hopPayload(session,
                    issued.round(), issued.attempt(), issued.commitmentDigest(), LAST, commitment));
            List<Hop> hops = new ArrayList<>(issued.hops().subList(0, LAST));
            hops.add(new Hop(LAST, commitment, signature));
            List<Reveal> reveals = new ArrayList<>(others);
            reveals.add(new Reveal(LAST, value, salt));
            return new ChallengeIssued(session, issued.round(), issued.attempt(), issued.commitmentDigest(),
                    RingAccumulator.foldAll(reveals), hops, reveals);
        }
    }

    private static RingHarness session(String session, boolean adversarial, boolean onlyToProver, GrindingLast[] holder) {
        Settings settings = Settings.standard();
        RingHarness h = new RingHarness(P, identity, RING, settings, QuorumRule.majority(RING), session,
                random("verifiers-" + session));
        if (adversarial) {
            holder[0] = new GrindingLast(h, session, onlyToProver);
            h.adversaries.put(LAST, holder[0]::onMessage);
        }
        var start = ProverSession.start(identity, h.members, settings, session, random("prover-" + session));
        ProverSession[] prover = {start.state()};
        h.run(start.messages(), RingHarness.honest(prover));
        return h;
    }

    /** Whether the session identified the prover on a challenge with the adversary's property. */
    private static boolean biasedAndIdentified(RingHarness h, String session) {
        if (h.tally.decision() == null || !h.tally.decision().identified()) {
            return false;
        }
        ChallengeIssued last = (ChallengeIssued) h.log.stream().filter(m -> m instanceof ChallengeIssued)
                .reduce((a, b) -> b).orElseThrow();
        Commitment committed = (Commitment) h.log.stream()
                .filter(m -> m instanceof Commitment c && c.attempt() == last.attempt()).findFirst().orElseThrow();
        return wanted(committed.u(), session, last.round(), last.attempt(), last.accumulator());
    }

    @Test
    void theLastMemberCannotChooseAPropertyOfTheChallenge() {
        int honestHits = 0;
        int adversarialHits = 0;
        int deviations = 0;
        int named = 0;
        for (int i = 0; i < SESSIONS; i++) {
            String honestSession = "honest-" + i;
            if (biasedAndIdentified(session(honestSession, false, false, new GrindingLast[1]), honestSession)) {
                honestHits++;
            }
            String session = "bias-" + i;
            GrindingLast[] adversary = new GrindingLast[1];
            RingHarness h = session(session, true, false, adversary);
            if (biasedAndIdentified(h, session)) {
                adversarialHits++;
            }
            if (adversary[0].deviations > 0) {
                deviations++;
            }
            if (adversary[0].deviations > 0 && h.verdicts.stream().filter(v -> v.verifier() != LAST)
                    .allMatch(v -> v.reason() == Reason.EQUIVOCATION && v.suspect() == LAST)) {
                named++;
            }
        }
        // an honest ring gives the property about 1 time in 16 (2.5 of 40; 10 or more has probability < 1e-4)
        assertThat(honestHits).isLessThan(10);
        // every time the adversary used a contribution it had not committed to, the honest verifiers caught it
        assertThat(deviations).isPositive();
        assertThat(named).as("sessions in which both honest verifiers named the last position").isEqualTo(deviations);
        assertThat(adversarialHits).as("identifications on a chosen challenge").isLessThan(10);
    }

    @Test
    void aMemberThatShowsTheProverAnotherChallengeIsDetectedAndNamed() {
        String session = "equivocate";
        GrindingLast[] adversary = new GrindingLast[1];
        RingHarness h = session(session, true, true, adversary);

        assertThat(adversary[0].deviations).as("the adversary equivocated").isPositive();
        List<Verdict> honest = h.verdicts.stream().filter(v -> v.verifier() != LAST).toList();
        assertThat(honest).hasSize(RING - 1).allSatisfy(v -> {
            assertThat(v.accepted()).isFalse();
            assertThat(v.reason()).as("not the prover's failure").isEqualTo(Reason.EQUIVOCATION);
            assertThat(v.suspect()).isEqualTo(LAST);
        });
        assertThat(h.tally.decision().identified()).isFalse();

        // the two challenges, each signed, are the proof: only position LAST signed two commitments
        ChallengeIssued toVerifiers = (ChallengeIssued) h.log.stream().filter(m -> m instanceof ChallengeIssued)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(RingChallengeIdentification.equivocators(h.members, toVerifiers, adversary[0].chosen))
                .containsExactly(LAST);
        assertThat(RingChallengeIdentification.equivocators(h.members, toVerifiers, toVerifiers)).isEmpty();
    }

    @Test
    void aVerifierShownASecondSignedCommitmentNamesItsSignerAtOnce() {
        String session = "second-commitment";
        RingHarness h = new RingHarness(P, identity, RING, Settings.standard(), QuorumRule.all(RING), session,
                random("verifiers-" + session));
        var start = ProverSession.start(identity, h.members, Settings.standard(), session, random("p-" + session));
        // play the ring up to the challenge, keeping what position 0 has seen
        List<Message> queue = new ArrayList<>(start.messages());
        ChallengeIssued issued = null;
        while (issued == null) {
            Message m = queue.remove(0);
            if (m instanceof Commitment) {
                for (int i = 0; i < RING; i++) {
                    queue.addAll(h.deliver(i, m));
                }
            } else if (m instanceof RingPass pass) {
                queue.addAll(h.deliver(pass.recipient(RING), m));
            } else if (m instanceof ChallengeIssued c) {
                issued = c;
            }
        }
        GrindingLast adversary = new GrindingLast(h, session, false);
        adversary.u = ((Commitment) start.messages().get(0)).u();
        ChallengeIssued second = adversary.ground(issued);

        var out = h.verifiers.get(0).onMessage(second);

        assertThat(out.messages()).singleElement().isInstanceOfSatisfying(Verdict.class, v -> {
            assertThat(v.reason()).isEqualTo(Reason.EQUIVOCATION);
            assertThat(v.suspect()).isEqualTo(LAST);
        });
    }
}
