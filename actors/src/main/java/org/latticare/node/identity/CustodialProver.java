package org.latticare.node.identity;

import java.util.List;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
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
 * session, answers each challenge, and reports how the session ended to {@code replyTo}, then stops.
 */
public final class CustodialProver {

  private CustodialProver() {}

  public static Behavior<IdentityContract.ProverEvent> create(IdentityKeyPair keys, String pseudonym, String session,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts, ActorRef<IdentityContract.Finished> replyTo) {
    return Behaviors.setup(context -> {
      contracts.tell(new ShardingEnvelope<>(session, new IdentityContract.Open(pseudonym, context.getSelf())));
      return awaitingRing(keys, session, contracts, replyTo);
    });
  }

  private static Behavior<IdentityContract.ProverEvent> awaitingRing(IdentityKeyPair keys, String session,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts, ActorRef<IdentityContract.Finished> replyTo) {
    return Behaviors.receive(IdentityContract.ProverEvent.class)
        .onMessage(IdentityContract.Opened.class, opened -> {
          RingMembers members = new RingMembers(opened.ring().stream().map(IdentityContract.Seat::publicKey).toList());
          Outcome<ProverSession, Message> start = ProverSession.start(keys, members,
              new RingChallengeIdentification.Settings(opened.rounds(), opened.maxAttempts()), session,
              RandomSource.secure());
          IdentificationParameters p = keys.publicKey().parameters();
          send(p, start.messages(), session, contracts);
          return proving(p, start.state(), session, contracts, replyTo);
        })
        .onMessage(IdentityContract.Finished.class, finished -> done(finished, replyTo))
        .onMessage(IdentityContract.Challenge.class, ignored -> Behaviors.same())
        .build();
  }

  private static Behavior<IdentityContract.ProverEvent> proving(IdentificationParameters p, ProverSession state,
      String session, ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts,
      ActorRef<IdentityContract.Finished> replyTo) {
    return Behaviors.receive(IdentityContract.ProverEvent.class)
        .onMessage(IdentityContract.Challenge.class, challenge -> {
          Decoded<Message> decoded = MessageCodec.decode(p, challenge.frame());
          if (!decoded.ok()) {
            return Behaviors.same();
          }
          Outcome<ProverSession, Message> out = state.onMessage(decoded.orElseThrow());
          send(p, out.messages(), session, contracts);
          return proving(p, out.state(), session, contracts, replyTo);
        })
        .onMessage(IdentityContract.Finished.class, finished -> done(finished, replyTo))
        .onMessage(IdentityContract.Opened.class, ignored -> Behaviors.same())
        .build();
  }

  private static void send(IdentificationParameters p, List<Message> messages, String session,
      ActorRef<ShardingEnvelope<IdentityContract.Command>> contracts) {
    for (Message m : messages) {
      contracts.tell(new ShardingEnvelope<>(session, new IdentityContract.FromProver(MessageCodec.encode(p, m))));
    }
  }

  private static Behavior<IdentityContract.ProverEvent> done(IdentityContract.Finished finished,
      ActorRef<IdentityContract.Finished> replyTo) {
    replyTo.tell(finished);
    return Behaviors.stopped();
  }
}
