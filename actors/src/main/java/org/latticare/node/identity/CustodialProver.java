package org.latticare.node.identity;

import java.time.Duration;
import java.util.List;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ShardingEnvelope;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.ProverSession;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.wire.Decoded;

/**
 * <b>Simulation only.</b> A prover that holds a patient's secret key inside the consortium's JVM, for the
 * demo, the load benchmark and tests: a real patient's secret never leaves its device, where the wallet runs
 * the same {@link ProverSession} ({@code latticare wallet prove}). One actor per proof: it opens the
 * session, answers each challenge, and reports how the session ended to {@code replyTo}, then stops. A ring
 * that is full ({@code RING_BUSY}) is asked again after a growing pause, under a fresh session id, as any
 * client should.
 */
public final class CustodialProver {

  /** Tries of a proof refused as RING_BUSY, and the first pause between them (doubled each time, at most 2 s). */
  static final int BUSY_TRIES = 100;
  static final Duration FIRST_PAUSE = Duration.ofMillis(100);

  private CustodialProver() {}

  private record Retry(int attempt) implements IdentityContract.ProverEvent {
    @Override
    public String session() {
      return "";
    }
  }

  public static Behavior<IdentityContract.ProverEvent> create(IdentityKeyPair keys, String pseudonym, String session,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts, ActorRef<IdentityContract.Finished> replyTo) {
    return Behaviors.withTimers(timers -> open(new Proof(keys, pseudonym, session, contracts, replyTo, timers), 0));
  }

  private record Proof(IdentityKeyPair keys, String pseudonym, String session,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts, ActorRef<IdentityContract.Finished> replyTo,
      TimerScheduler<IdentityContract.ProverEvent> timers) {

    String sessionOf(int attempt) {
      return attempt == 0 ? session : session + "-r" + attempt;
    }

    void send(IdentificationParameters p, List<Message> messages, ActorRef<IdentityContract.Command> contract) {
      for (Message m : messages) {
        contract.tell(new IdentityContract.FromProver(MessageCodec.encode(p, m)));
      }
    }

    /** Starts the protocol on the ring {@code opened} names (again, if the ring was re-formed). */
    Behavior<IdentityContract.ProverEvent> start(IdentityContract.Opened opened, int attempt) {
      RingMembers members = new RingMembers(opened.ring().stream().map(IdentityContract.Seat::publicKey).toList());
      Outcome<ProverSession, Message> start = ProverSession.start(keys, members,
          new RingChallengeIdentification.Settings(opened.rounds(), opened.maxAttempts()), opened.session(),
          RandomSource.secure());
      IdentificationParameters p = keys.publicKey().parameters();
      ActorRef<IdentityContract.Command> contract = opened.contract();
      send(p, start.messages(), contract);
      return proving(this, p, start.state(), opened.session(), contract, attempt);
    }
  }

  private static Behavior<IdentityContract.ProverEvent> open(Proof proof, int attempt) {
    return Behaviors.setup(context -> {
      String id = proof.sessionOf(attempt);
      proof.contracts().tell(new ShardingEnvelope<>(id, new IdentityContract.Open(proof.pseudonym(), context.getSelf())));
      return Behaviors.receive(IdentityContract.ProverEvent.class)
          .onMessage(IdentityContract.Opened.class, opened -> proof.start(opened, attempt))
          .onMessage(IdentityContract.Finished.class, finished -> ended(proof, finished, attempt))
          .onMessage(IdentityContract.Challenge.class, ignored -> Behaviors.same())
          .build();
    });
  }

  private static Behavior<IdentityContract.ProverEvent> proving(Proof proof, IdentificationParameters p,
      ProverSession state, String protocolSession, ActorRef<IdentityContract.Command> contract, int attempt) {
    return Behaviors.receive(IdentityContract.ProverEvent.class)
        .onMessage(IdentityContract.Challenge.class, challenge -> {
          Decoded<Message> decoded = MessageCodec.decode(p, challenge.frame());
          if (!decoded.ok() || !challenge.session().equals(protocolSession)) {
            return Behaviors.same();
          }
          Outcome<ProverSession, Message> out = state.onMessage(decoded.orElseThrow());
          proof.send(p, out.messages(), contract);
          return proving(proof, p, out.state(), protocolSession, contract, attempt);
        })
        .onMessage(IdentityContract.Finished.class, finished -> ended(proof, finished, attempt))
        // the ring lost a verifier and was re-formed: start again on the new one
        .onMessage(IdentityContract.Opened.class, opened -> proof.start(opened, attempt))
        .build();
  }

  private static Behavior<IdentityContract.ProverEvent> ended(Proof proof, IdentityContract.Finished finished,
      int attempt) {
    if (!finished.session().equals(proof.sessionOf(attempt))) {
      return Behaviors.same();
    }
    if (IdentityContract.RING_BUSY.equals(finished.code()) && attempt + 1 < BUSY_TRIES) {
      long pause = Math.min(2_000, FIRST_PAUSE.toMillis() << Math.min(attempt, 5));
      proof.timers().startSingleTimer(new Retry(attempt + 1), Duration.ofMillis(pause));
      return Behaviors.receive(IdentityContract.ProverEvent.class)
          .onMessage(Retry.class, retry -> open(proof, retry.attempt()))
          .build();
    }
    proof.replyTo().tell(finished);
    return Behaviors.stopped();
  }
}
