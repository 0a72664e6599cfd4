package org.latticare.node.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.contract.PatientGateway.ProofAnswer;
import org.latticare.node.contract.PatientGateway.ProofEvent;
import org.latticare.node.contract.PatientGateway.ProofEvents;
import org.latticare.node.contract.PatientGateway.ProofOpening;
import org.latticare.node.identity.IdentityContract;
import org.latticare.node.identity.IdentitySettings;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.ProverSession;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/** The gateway's keeping of proof sessions, without an actor: order, waiting polls, bounds, frames, tokens, forgetting. */
class ProofRelayTest {

  private static final IdentificationParameters P = IdentificationParameters.N256;
  private static final IdentityKeyPair KEYS = IdentityKeyPair.generate(P, RandomSource.secure());
  private static final MlDsa65.KeyPair VERIFIER = MlDsa65.generate();
  private static final Duration KEEP = Duration.ofMinutes(2);
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

  private final List<ProofOpening> openings = new ArrayList<>();
  private final List<ProofEvents> answers = new ArrayList<>();

  private static ProofRelay relay(int sessions, int events) {
    return new ProofRelay(new IdentitySettings.Gateway(sessions, events, KEEP, Duration.ofSeconds(10)),
        SESSION_TIMEOUT);
  }

  private static IdentityContract.Opened opened(String session) {
    return new IdentityContract.Opened(session, "p-1", P.id(), List.of(new IdentityContract.Seat("node-1",
        VERIFIER.publicKey())), 1, 64, "node-1", null);
  }

  private static IdentityContract.Challenge challenge(String session, int n) {
    return new IdentityContract.Challenge(session, new byte[] {(byte) n});
  }

  private static IdentityContract.Finished finished(String session, boolean identified) {
    return new IdentityContract.Finished(session, identified, identified ? IdentityContract.IDENTIFIED
        : IdentityContract.NOT_IDENTIFIED, "by node-1", identified ? "ab" : null, identified ? 7 : -1, List.of(), List.of(),
        List.of());
  }

  private void openAndOpen(ProofRelay relay, String session, long now) {
    assertThat(relay.open(session, now, openings::add)).isEmpty();
    relay.onEvent(opened(session), now);
  }

  private ProofEvents lastAnswer() {
    return answers.get(answers.size() - 1);
  }

  private static List<Integer> indices(ProofEvents events) {
    return events.events().stream().map(ProofEvent::index).toList();
  }

  /** The first commitment a prover sends in {@code session}, in its canonical encoding. */
  private static byte[] commitment(String session) {
    return MessageCodec.encode(P, ProverSession.start(KEYS, new RingMembers(List.of(VERIFIER.publicKey())),
        new RingChallengeIdentification.Settings(1, 64), session, RandomSource.secure()).messages().get(0));
  }

  @Test
  void theOpenerHearsOfTheRingAndAPollGetsEveryEventInOrderWaitingForTheNext() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "s1", 0);
    assertThat(openings).singleElement().satisfies(o -> {
      assertThat(o.code()).isNull();
      assertThat(o.opened().ring()).extracting(IdentityContract.Seat::nodeId).containsExactly("node-1");
    });

    assertThat(relay.poll("s1", -1, 1, answers::add)).as("nothing yet: it waits").isTrue();
    relay.onEvent(challenge("s1", 0), 1);
    assertThat(indices(lastAnswer())).containsExactly(0);
    assertThat(lastAnswer().events().get(0).challenge()).containsExactly(0);

    assertThat(relay.poll("s1", 0, 2, answers::add)).isTrue();
    relay.onEvent(challenge("s1", 1), 2);
    relay.onEvent(finished("s1", true), 3);
    assertThat(answers).hasSize(2);
    assertThat(indices(lastAnswer())).containsExactly(1);

    assertThat(relay.poll("s1", -1, 3, answers::add)).isFalse();
    assertThat(indices(lastAnswer())).containsExactly(0, 1, 2);
    assertThat(lastAnswer().events().get(2).finished().identified()).isTrue();
    assertThat(relay.poll("s1", 2, 4, answers::add)).as("ended: nothing more will come").isFalse();
    assertThat(lastAnswer().events()).isEmpty();
  }

  @Test
  void aPollThatWaitedItsTimeIsAnsweredWithNoEvent() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "s1", 0);
    relay.poll("s1", -1, 1, answers::add);
    relay.pollExpired("s1", 1);
    assertThat(answers).singleElement().satisfies(a -> {
      assertThat(a.code()).isNull();
      assertThat(a.events()).isEmpty();
    });
    relay.onEvent(challenge("s1", 0), 1);
    assertThat(answers).as("answered once").hasSize(1);
  }

  @Test
  void aSessionASeatRefusedIsForgottenAndItsOpenerToldWhy() {
    ProofRelay relay = relay(4, 64);
    assertThat(relay.open("s1", 0, openings::add)).isEmpty();
    // a full verifier refuses its seat: the contract ends the session instead of saying it opened
    relay.onEvent(new IdentityContract.Finished("s1", false, IdentityContract.RING_BUSY, "node-1: full", null, -1,
        List.of(), List.of(), List.of()), 0);
    assertThat(openings).singleElement().satisfies(o -> {
      assertThat(o.opened()).isNull();
      assertThat(o.code()).isEqualTo(IdentityContract.RING_BUSY);
    });
    assertThat(relay.isEmpty()).isTrue();
    assertThat(relay.frame("s1", commitment("s1"))).hasValueSatisfying(a -> assertThat(a.code())
        .isEqualTo(ProofRelay.UNKNOWN_SESSION));
  }

  @Test
  void onlyACommitmentOrResponseOfTheSessionItselfIsRelayed() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "s1", 0);
    assertThat(relay.frame("s1", commitment("s1"))).isEmpty();
    assertThat(relay.frame("s1", commitment("s2"))).hasValueSatisfying(a -> assertThat(a.code())
        .isEqualTo(ProofRelay.BAD_FRAME));
    assertThat(relay.frame("s1", new byte[] {1, 2, 3})).hasValueSatisfying(a -> assertThat(a.code())
        .isEqualTo(ProofRelay.BAD_FRAME));
    assertThat(relay.frame("s1", KEYS.publicKey().encode())).as("a frame of another type")
        .hasValueSatisfying(a -> assertThat(a.code()).isEqualTo(ProofRelay.BAD_FRAME));
    assertThat(relay.frame("s2", commitment("s2"))).as("a session this patient did not open")
        .hasValueSatisfying(a -> assertThat(a.code()).isEqualTo(ProofRelay.UNKNOWN_SESSION));
    relay.onEvent(finished("s1", false), 1);
    assertThat(relay.frame("s1", commitment("s1"))).hasValueSatisfying(a -> assertThat(a.code())
        .isEqualTo(ProofRelay.SESSION_ENDED));
  }

  @Test
  void aRingReformedAfterALostVerifierIsAnEventAndItsProtocolSessionTheOneFramesMustCarry() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "s1", 0);
    relay.onEvent(challenge("s1", 0), 1);
    relay.onEvent(opened("s1/1"), 2);
    relay.onEvent(challenge("s1", 1), 3);
    relay.onEvent(challenge("s1/1", 2), 4);
    relay.poll("s1", -1, 1, answers::add);
    List<ProofEvent> events = lastAnswer().events();
    assertThat(indices(lastAnswer())).as("a stale challenge of the lost ring is dropped").containsExactly(0, 1, 2);
    assertThat(events.get(1).ring().session()).isEqualTo("s1/1");
    assertThat(events.get(2).challenge()).containsExactly(2);
    assertThat(relay.frame("s1", commitment("s1/1"))).isEmpty();
    assertThat(relay.frame("s1", commitment("s1"))).as("the lost ring's session").hasValueSatisfying(a ->
        assertThat(a.code()).isEqualTo(ProofRelay.BAD_FRAME));
    relay.onEvent(finished("s1", true), 5);
    assertThat(relay.claim("s1").code()).isNull();
  }

  @Test
  void aFullBufferDropsItsOldestChallengeAndKeepsTheOutcome() {
    ProofRelay relay = relay(4, 3);
    openAndOpen(relay, "s1", 0);
    for (int i = 0; i < 5; i++) {
      relay.onEvent(challenge("s1", i), 1);
    }
    relay.onEvent(finished("s1", true), 2);
    relay.poll("s1", -1, 1, answers::add);
    assertThat(indices(lastAnswer())).containsExactly(3, 4, 5);
    assertThat(lastAnswer().events().get(2).finished()).isNotNull();
  }

  @Test
  void aPatientHasAtMostMaxSessionsOpenAndKeepsAsManyFinished() {
    ProofRelay relay = relay(2, 64);
    openAndOpen(relay, "s1", 0);
    openAndOpen(relay, "s2", 0);
    assertThat(relay.open("s3", 0, openings::add)).contains(ProofRelay.TOO_MANY_SESSIONS);
    relay.onEvent(finished("s1", true), 1);
    openAndOpen(relay, "s3", 1);
    relay.onEvent(finished("s2", true), 2);
    relay.onEvent(finished("s3", true), 3);
    assertThat(relay.claim("s1").code()).as("the oldest finished is let go").isEqualTo(ProofRelay.UNKNOWN_SESSION);
    assertThat(relay.claim("s2").code()).isNull();
    assertThat(relay.claim("s3").code()).isNull();
  }

  @Test
  void aTokenIsHandedOutOnceAndOnlyForAnIdentifiedSession() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "s1", 0);
    openAndOpen(relay, "s2", 0);
    assertThat(relay.claim("s1").code()).isEqualTo(ProofRelay.NOT_FINISHED);
    relay.onEvent(finished("s1", true), 1);
    relay.onEvent(finished("s2", false), 1);
    ProofAnswer claimed = relay.claim("s1");
    assertThat(claimed.code()).isNull();
    assertThat(claimed.finished().transactionHash()).isEqualTo("ab");
    assertThat(relay.claim("s1").code()).isEqualTo(ProofRelay.TOKEN_ALREADY_ISSUED);
    assertThat(relay.claim("s2").code()).isEqualTo(IdentityContract.NOT_IDENTIFIED);
    assertThat(relay.claim("s9").code()).isEqualTo(ProofRelay.UNKNOWN_SESSION);
  }

  @Test
  void finishedSessionsAreForgottenAfterAWhileAndAbandonedOnesAfterTheirTimeout() {
    ProofRelay relay = relay(4, 64);
    openAndOpen(relay, "done", 0);
    openAndOpen(relay, "abandoned", 0);
    relay.onEvent(finished("done", true), 1_000);
    relay.poll("abandoned", -1, 1, answers::add);

    relay.sweep(1_000 + KEEP.toMillis() - 1);
    assertThat(relay.claim("done").code()).isNull();
    relay.sweep(1_000 + KEEP.toMillis());
    assertThat(relay.claim("done").code()).isEqualTo(ProofRelay.UNKNOWN_SESSION);
    assertThat(relay.isEmpty()).isFalse();

    relay.sweep(SESSION_TIMEOUT.plus(KEEP).toMillis());
    assertThat(relay.isEmpty()).isTrue();
    assertThat(answers).as("its waiting poll is answered").singleElement()
        .satisfies(a -> assertThat(a.events()).isEmpty());
    relay.poll("abandoned", -1, 2, answers::add);
    assertThat(lastAnswer().code()).isEqualTo(ProofRelay.UNKNOWN_SESSION);
  }
}
