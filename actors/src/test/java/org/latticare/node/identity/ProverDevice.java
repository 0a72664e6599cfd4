package org.latticare.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.ShardingEnvelope;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.ProverSession;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * A patient's device in a test: a probe that receives the session's events and runs the prover by hand,
 * so that a test sees every ring it was given and every challenge it answered.
 */
final class ProverDevice {

  final IdentityKeyPair keys;
  final TestProbe<IdentityContract.ProverEvent> probe;
  final List<IdentityContract.Opened> rings = new ArrayList<>();
  final List<ChallengeIssued> challenges = new ArrayList<>();
  /** What the device is shown of each challenge: the contract's relay, or a test playing a lying ring member. */
  UnaryOperator<ChallengeIssued> shown = UnaryOperator.identity();
  private ProverSession prover;
  private ActorRef<IdentityContract.Command> contract;

  ProverDevice(ActorTestKit kit, IdentityKeyPair keys) {
    this.keys = keys;
    this.probe = kit.createTestProbe();
  }

  /** Opens {@code session} for {@code pseudonym} through a node's identity region; returns the first ring. */
  IdentityContract.Opened open(ActorRef<ShardingEnvelope<IdentityContract.Command>> identities, String session,
      String pseudonym, Duration patience) {
    identities.tell(new ShardingEnvelope<>(session, new IdentityContract.Open(pseudonym, probe.getRef())));
    IdentityContract.Opened opened = probe.expectMessageClass(IdentityContract.Opened.class, patience);
    rings.add(opened);
    return opened;
  }

  /** Runs the proof on {@code opened}'s ring, and on any ring it is moved to, until the session ends. */
  IdentityContract.Finished prove(IdentityContract.Opened opened, Duration patience) {
    start(opened);
    while (true) {
      IdentityContract.ProverEvent event = probe.receiveMessage(patience);
      if (event instanceof IdentityContract.Opened again) {
        rings.add(again);
        start(again);
      } else if (event instanceof IdentityContract.Challenge challenge) {
        ChallengeIssued issued = shown.apply((ChallengeIssued) MessageCodec.decode(keys.publicKey().parameters(),
            challenge.frame()).orElseThrow());
        challenges.add(issued);
        Outcome<ProverSession, Message> out = prover.onMessage(issued);
        assertThat(out.refused()).as("%s", out).isFalse();
        prover = out.state();
        send(out.messages());
      } else if (event instanceof IdentityContract.Finished finished) {
        return finished;
      }
    }
  }

  private void start(IdentityContract.Opened opened) {
    RingMembers members = new RingMembers(opened.ring().stream().map(IdentityContract.Seat::publicKey).toList());
    Outcome<ProverSession, Message> out = ProverSession.start(keys, members,
        new RingChallengeIdentification.Settings(opened.rounds(), opened.maxAttempts()), opened.session(),
        RandomSource.secure());
    prover = out.state();
    contract = opened.contract();
    send(out.messages());
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      contract.tell(new IdentityContract.FromProver(MessageCodec.encode(keys.publicKey().parameters(), m)));
    }
  }
}
