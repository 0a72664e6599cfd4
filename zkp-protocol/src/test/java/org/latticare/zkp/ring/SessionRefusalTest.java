package org.latticare.zkp.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Hop;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.Reveal;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Settings;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.wire.Decoded;

class SessionRefusalTest {

    private static final IdentificationParameters P = IdentificationParameters.N256;
    private static final String SESSION = "refusals";
    private static IdentityKeyPair identity;
    private static RingMembers members;

    @BeforeAll
    static void setUp() {
        identity = IdentityKeyPair.generate(P, RandomSource.deterministic("refusal-id".getBytes(StandardCharsets.UTF_8)));
        members = RingHarness.members(2);
    }

    private static VerifierSession verifier(int index) {
        return VerifierSession.create(identity.publicKey(), members, index, RingHarness.signingKey(index),
                new Settings(2, 64), SESSION, RandomSource.deterministic(("v" + index).getBytes(StandardCharsets.UTF_8)));
    }

    private static void refused(Outcome<?, ?> out, Refusal reason) {
        assertThat(out).isInstanceOfSatisfying(Outcome.Refused.class, r -> assertThat(r.reason()).isEqualTo(reason));
    }

    private static <S> S advanced(Outcome<S, ?> out) {
        assertThat(out).isInstanceOf(Outcome.Advanced.class);
        return out.state();
    }

    /**
     * A whole attempt on a ring of two: position 0 after opening, position 1 after opening, the commitment,
     * the lap-one pass 0 → 1, the lap-two pass 1 → 0, the opened pass 0 → 1, the challenge 1 issued.
     */
    private record Played(VerifierSession v0, VerifierSession v1, Commitment commitment, RingPass pass, RingPass closing,
            RingPass opened, ChallengeIssued challenge, ProverSession prover) {
    }

    private static Played play() {
        var start = ProverSession.start(identity, members, new Settings(2, 64), SESSION,
                RandomSource.deterministic("prover".getBytes(StandardCharsets.UTF_8)));
        Commitment commitment = (Commitment) start.messages().get(0);
        return run(verifier(0), verifier(1), commitment, start.state());
    }

    private static Played run(VerifierSession first, VerifierSession second, Commitment commitment, ProverSession prover) {
        var out0 = first.onMessage(commitment);
        RingPass pass = (RingPass) out0.messages().get(0);
        var out1 = advanced(second.onMessage(commitment)).onMessage(pass);
        RingPass closing = (RingPass) out1.messages().get(0);
        var opened0 = advanced(out0).onMessage(closing);
        RingPass opened = (RingPass) opened0.messages().get(0);
        var opened1 = advanced(out1).onMessage(opened);
        ChallengeIssued challenge = (ChallengeIssued) opened1.messages().get(0);
        return new Played(advanced(opened0), advanced(opened1), commitment, pass, closing, opened, challenge, prover);
    }

    private static Response response(Played p, PolyVector z) {
        return new Response(SESSION, 0, 0, p.challenge().accumulator(),
                p.challenge().hops().stream().map(Hop::commitment).toList(), z);
    }

    @Test
    void theRingCommitsInLapOneAndOpensInLapTwo() {
        Played p = play();
        assertThat(p.pass().hops()).hasSize(1);
        assertThat(p.pass().reveals()).isEmpty();
        assertThat(p.closing().recipient(2)).as("lap two starts at position 0").isZero();
        assertThat(p.closing().hops()).hasSize(2);
        assertThat(p.opened().reveals()).hasSize(1);
        assertThat(p.challenge().hops()).isEqualTo(p.closing().hops());
        assertThat(p.challenge().accumulator()).isEqualTo(RingAccumulator.foldAll(p.challenge().reveals()));
    }

    @Test
    void aMaskAnswersOneChallengeWhateverStateObjectTheCallerKeeps() {
        Played p = play();
        ProverSession kept = p.prover();
        assertThat(kept.onMessage(p.challenge())).isInstanceOf(Outcome.Advanced.class);
        // A second, valid challenge for the same commitment (position 1 committed to another contribution):
        // answering it from the state kept from before would give a second response for the same mask.
        VerifierSession other = VerifierSession.create(identity.publicKey(), members, 1, RingHarness.signingKey(1),
                new Settings(2, 64), SESSION, RandomSource.deterministic("v1-other".getBytes(StandardCharsets.UTF_8)));
        ChallengeIssued second = run(verifier(0), other, p.commitment(), kept).challenge();
        assertThat(second.accumulator()).isNotEqualTo(p.challenge().accumulator());
        refused(kept.onMessage(second), Refusal.MASK_SPENT);
        refused(kept.onMessage(p.challenge()), Refusal.MASK_SPENT);
    }

    @Test
    void aPassThatOvertakesItsCommitmentIsKeptAndTakenWhenTheCommitmentArrives() {
        Played p = play();
        var early = verifier(1).onMessage(p.pass());
        VerifierSession waiting = advanced(early);
        assertThat(early.messages()).as("nothing to send before the commitment").isEmpty();
        var caughtUp = waiting.onMessage(p.commitment());
        assertThat(caughtUp.messages()).singleElement().isInstanceOfSatisfying(RingPass.class,
                c -> assertThat(c.hops()).hasSize(2));
        assertThat(caughtUp.state().phase()).isEqualTo(VerifierSession.Phase.AWAITING_CHALLENGE);
        refused(caughtUp.state().onMessage(p.pass()), Refusal.REPLAYED);

        // A kept pass that does not fit its commitment (another commitment's digest) is dropped, as it would have been refused.
        RingPass forged = new RingPass(SESSION, 0, 0, new byte[32], p.pass().accumulator(), p.pass().hops(), List.of());
        var dropped = advanced(verifier(1).onMessage(forged)).onMessage(p.commitment());
        assertThat(dropped.messages()).isEmpty();
        assertThat(dropped.state().onMessage(p.pass()).messages()).singleElement().isInstanceOf(RingPass.class);
    }

    @Test
    void aResponseThatOvertakesItsChallengeIsKeptAndCheckedWhenTheChallengeArrives() {
        Played p = play();
        // the response goes through the contract and the prover, the challenge straight from the last seat
        var early = p.v0().onMessage(response(p, PolyVector.zero(P.ring(), P.witnessLength())));
        assertThat(early.refused()).isFalse();
        assertThat(early.messages()).isEmpty();
        var challenged = early.state().onMessage(p.challenge());
        assertThat(challenged.messages()).singleElement().isInstanceOfSatisfying(Verdict.class, v -> {
            assertThat(v.accepted()).isFalse();
            assertThat(v.reason()).isEqualTo(RingChallengeIdentification.Reason.EQUATION);
        });
        assertThat(challenged.state().phase()).isEqualTo(VerifierSession.Phase.FINISHED);
    }

    @Test
    void wrongSessionIsRefused() {
        Played p = play();
        refused(verifier(0).onMessage(new Commitment("other", 0, 0, p.commitment().u())), Refusal.WRONG_SESSION);
        refused(p.prover().onMessage(new ChallengeIssued("other", 0, 0, p.challenge().commitmentDigest(),
                p.challenge().accumulator(), p.challenge().hops(), p.challenge().reveals())), Refusal.WRONG_SESSION);
    }

    @Test
    void replayedAndOutOfOrderMessagesAreRefused() {
        Played p = play();
        refused(p.v0().onMessage(p.commitment()), Refusal.REPLAYED);
        refused(p.v1().onMessage(p.pass()), Refusal.REPLAYED);
        refused(p.v1().onMessage(p.opened()), Refusal.REPLAYED);
        refused(verifier(0).onMessage(response(p, PolyVector.zero(P.ring(), P.witnessLength()))),
                Refusal.OUT_OF_ORDER); // response before the commitment
        refused(p.v0().onMessage(new Commitment(SESSION, 1, 0, p.commitment().u())), Refusal.OUT_OF_ORDER);
        VerifierSession v0 = advanced(p.v0().onMessage(p.challenge()));
        refused(v0.onMessage(p.challenge()), Refusal.REPLAYED);
        var answered = p.prover().onMessage(p.challenge());
        ProverSession prover = advanced(answered);
        refused(prover.onMessage(p.challenge()), Refusal.REPLAYED);
    }

    @Test
    void wrongDimensionsAreRefused() {
        Played p = play();
        refused(verifier(0).onMessage(new Commitment(SESSION, 0, 0, PolyVector.zero(P.ring(), P.rows() - 1))),
                Refusal.WRONG_DIMENSION);
        VerifierSession v0 = advanced(p.v0().onMessage(p.challenge()));
        refused(v0.onMessage(response(p, PolyVector.zero(P.ring(), P.witnessLength() + 1))), Refusal.WRONG_DIMENSION);
        PolyVector otherRing = PolyVector.zero(IdentificationParameters.N1.ring(), P.witnessLength());
        refused(v0.onMessage(response(p, otherRing)), Refusal.WRONG_DIMENSION);
        assertThat(v0.phase()).isEqualTo(VerifierSession.Phase.AWAITING_RESPONSE);
    }

    @Test
    void tamperedHopsAreRefused() {
        Played p = play();
        VerifierSession v1 = advanced(verifier(1).onMessage(p.commitment()));
        Hop hop = p.pass().hops().get(0);
        byte[] badSignature = hop.signature().clone();
        badSignature[10] ^= 1;
        refused(v1.onMessage(new RingPass(SESSION, 0, 0, p.pass().commitmentDigest(), p.pass().accumulator(),
                List.of(new Hop(0, hop.commitment(), badSignature)), List.of())), Refusal.BAD_SIGNATURE);
        refused(v1.onMessage(new RingPass(SESSION, 0, 0, p.pass().commitmentDigest(), p.pass().accumulator(),
                List.of(), List.of())), Refusal.WRONG_HOP);
        // lap two, at position 1 after it committed: a wrong accumulator, an opening that is not position 0's
        VerifierSession committed = advanced(v1.onMessage(p.pass()));
        byte[] otherAccumulator = p.opened().accumulator().clone();
        otherAccumulator[0] ^= 1;
        refused(committed.onMessage(new RingPass(SESSION, 0, 0, p.opened().commitmentDigest(), otherAccumulator,
                p.opened().hops(), p.opened().reveals())), Refusal.INCONSISTENT);
        Reveal opening = p.opened().reveals().get(0);
        byte[] otherSalt = opening.salt().clone();
        otherSalt[0] ^= 1;
        refused(committed.onMessage(new RingPass(SESSION, 0, 0, p.opened().commitmentDigest(), p.opened().accumulator(),
                p.opened().hops(), List.of(new Reveal(0, opening.contribution(), otherSalt)))), Refusal.INCONSISTENT);
        byte[] otherValue = opening.contribution().clone();
        otherValue[0] ^= 1;
        List<Reveal> chosen = List.of(new Reveal(0, otherValue, opening.salt()));
        refused(committed.onMessage(new RingPass(SESSION, 0, 0, p.opened().commitmentDigest(),
                RingAccumulator.foldAll(chosen), p.opened().hops(), chosen)), Refusal.INCONSISTENT);
        // position 0 refuses a challenge in which its own commitment was replaced (and re-signed by nobody)
        List<Hop> swapped = new ArrayList<>(p.challenge().hops());
        swapped.set(0, new Hop(0, new byte[32], hop.signature()));
        refused(p.v0().onMessage(new ChallengeIssued(SESSION, 0, 0, p.challenge().commitmentDigest(),
                p.challenge().accumulator(), swapped, p.challenge().reveals())), Refusal.BAD_SIGNATURE);
    }

    @Test
    void finishedSessionsRefuseEverythingAndTheTallyRefusesDuplicatesAndForgeries() {
        Played p = play();
        VerifierSession v0 = advanced(p.v0().onMessage(p.challenge()));
        // a zero z fails the equation: the session ends with a rejecting verdict
        var out = v0.onMessage(response(p, PolyVector.zero(P.ring(), P.witnessLength())));
        v0 = advanced(out);
        assertThat(v0.phase()).isEqualTo(VerifierSession.Phase.FINISHED);
        Verdict verdict = (Verdict) out.messages().get(0);
        assertThat(verdict.accepted()).isFalse();
        refused(v0.onMessage(p.commitment()), Refusal.FINISHED);

        VerdictTally tally = VerdictTally.create(identity.publicKey(), members, QuorumRule.all(2), SESSION);
        byte[] forged = verdict.signature().clone();
        forged[100] ^= 1;
        refused(tally.onVerdict(new Verdict(SESSION, 0, false, verdict.reason(), verdict.rounds(), verdict.suspect(),
                verdict.transcript(), forged)), Refusal.BAD_SIGNATURE);
        refused(tally.onVerdict(new Verdict(SESSION, 0, true, RingChallengeIdentification.Reason.IDENTIFIED,
                verdict.rounds(), verdict.suspect(), verdict.transcript(), verdict.signature())), Refusal.BAD_SIGNATURE);
        refused(tally.onVerdict(new Verdict(SESSION, 0, false, verdict.reason(), verdict.rounds(), 1,
                verdict.transcript(), verdict.signature())), Refusal.OUT_OF_RANGE); // a suspect without equivocation
        var counted = tally.onVerdict(verdict);
        tally = advanced(counted);
        assertThat(counted.messages()).singleElement()
                .satisfies(d -> assertThat(d.identified()).isFalse()); // with "all", one rejection decides
        refused(tally.onVerdict(verdict), Refusal.REPLAYED);
        refused(tally.onVerdict(new Verdict(SESSION, 5, false, verdict.reason(), 0, verdict.suspect(),
                verdict.transcript(), verdict.signature())), Refusal.WRONG_HOP);
    }

    @Test
    void everyMessageRoundTripsThroughItsCanonicalEncoding() {
        Played p = play();
        VerifierSession v0 = advanced(p.v0().onMessage(p.challenge()));
        long[] edge = new long[P.witnessLength() * P.degree()];
        edge[0] = -P.responseBound();
        edge[edge.length - 1] = P.responseBound();
        Response response = response(p, PolyVector.ofCoefficients(P.ring(), edge));
        Verdict verdict = (Verdict) v0.onMessage(response(p, PolyVector.zero(P.ring(), P.witnessLength())))
                .messages().get(0);
        for (Message m : List.of(p.commitment(), p.pass(), p.closing(), p.opened(), p.challenge(), response, verdict)) {
            byte[] bytes = MessageCodec.encode(P, m);
            Decoded<Message> decoded = MessageCodec.decode(P, bytes);
            assertThat(decoded.ok()).as("%s", decoded).isTrue();
            assertThat(MessageCodec.encode(P, decoded.orElseThrow())).isEqualTo(bytes);
        }
        Response decoded = (Response) MessageCodec.decode(P, MessageCodec.encode(P, response)).orElseThrow();
        assertThat(decoded.z()).isEqualTo(response.z());
        assertThat(decoded.accumulator()).isEqualTo(response.accumulator());
        assertThat(decoded.commitments()).containsExactlyElementsOf(response.commitments());
    }

    @Test
    void garbageDecodesToASpecificFailure() {
        Played p = play();
        byte[] commitment = MessageCodec.encode(P, p.commitment());

        assertFailure(null, Refusal.MALFORMED, "no bytes");
        assertFailure(new byte[3], Refusal.MALFORMED, "truncated");
        byte[] random = new byte[500];
        RandomSource.deterministic(new byte[] {1}).nextBytes(random);
        assertThat(MessageCodec.decode(P, random)).isInstanceOf(Decoded.Failure.class);

        byte[] version = commitment.clone();
        version[0] = 2;
        assertFailure(version, Refusal.MALFORMED, "version");
        byte[] tag = commitment.clone();
        tag[1] = 0x7f;
        assertFailure(tag, Refusal.MALFORMED, "type tag");
        byte[] parameterSet = commitment.clone();
        parameterSet[2] = 1;
        assertFailure(parameterSet, Refusal.MALFORMED, "parameter set");
        assertFailure(java.util.Arrays.copyOf(commitment, commitment.length - 1), Refusal.MALFORMED, "length");
        assertFailure(java.util.Arrays.copyOf(commitment, commitment.length + 1), Refusal.MALFORMED, "length");

        // first residue of u set to 2^23 - 1 > q: body starts after 8-byte header, session (1+8) and 8 bytes of counters
        byte[] residue = commitment.clone();
        int off = 8 + 1 + SESSION.length() + 8;
        residue[off] = (byte) 0xff;
        residue[off + 1] = (byte) 0xff;
        residue[off + 2] = (byte) (residue[off + 2] | 0x7f);
        assertFailure(residue, Refusal.OUT_OF_RANGE, "not below q");

        byte[] session = commitment.clone();
        session[8] = 0;
        assertFailure(session, Refusal.OUT_OF_RANGE, "session id length");
    }

    private static void assertFailure(byte[] bytes, Refusal reason, String detail) {
        assertThat(MessageCodec.decode(P, bytes)).isInstanceOfSatisfying(Decoded.Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.detail()).contains(detail);
        });
    }
}
