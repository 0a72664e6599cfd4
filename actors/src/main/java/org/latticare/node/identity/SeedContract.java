package org.latticare.node.identity;

import java.util.List;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.node.ring.VerifierNode;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.seed.SeedRingProtocol;

/**
 * The identity contract of a session of the paper's protocol <b>as written</b> ({@code seed}, Section 4):
 * it draws the verifiers' shared scalar secret {@code r}, seats the ring's hops, sums their contributions into
 * {@code V_m} (equation 3), starts each round's E2 pass along the ring of verifier actors, checks
 * {@code E3 = E4} (9) and tells the prover each round's verdict. It exists to reproduce the paper and show
 * its flaw: a prover that knows nothing passes every round, so a passed seed session ends
 * {@link IdentityContract#SEED_PASSED} and is never written to the chain. A behaviour of the
 * {@link IdentityContract} entity, which becomes it when a session is opened with {@code protocol = seed} on a
 * node whose operator enabled it.
 */
final class SeedContract {

  private SeedContract() {}

  private record RingListed(Receptionist.Listing listing) implements IdentityContract.Command {}

  private enum Timeout implements IdentityContract.Command { INSTANCE }

  static Behavior<IdentityContract.Command> start(ActorContext<IdentityContract.Command> context,
      TimerScheduler<IdentityContract.Command> timers, String session, String pseudonym,
      ActorRef<IdentityContract.ProverEvent> prover, IdentityContract.NodeContext node) {
    timers.startSingleTimer(Timeout.INSTANCE, node.settings().sessionTimeout());
    context.getSystem().receptionist().tell(Receptionist.find(VerifierNode.SERVICE_KEY,
        context.messageAdapter(Receptionist.Listing.class, RingListed::new)));
    Address self = Cluster.get(context.getSystem()).selfMember().address();
    return Behaviors.receive(IdentityContract.Command.class)
        .onMessage(RingListed.class, listed -> {
          List<VerifierNode.RingSeat> ring = IdentityContract.seatsIn(listed.listing(), node.consortium(), self);
          if (ring.isEmpty()) {
            return end(prover, session, IdentityContract.NO_QUORUM, "no verifier is reachable", List.of());
          }
          SeedRingProtocol.Parameters parameters = new SeedRingProtocol.Parameters(Ring.DILITHIUM_PRIME,
              node.settings().seedDimension(), ring.size(), node.settings().seedRounds());
          long r = SeedRingProtocol.sampleSecret(parameters, RandomSource.secure());
          for (int i = 0; i < ring.size(); i++) {
            ring.get(i).verifier().tell(new VerifierNode.JoinSeedSession(session, parameters.m(), parameters.rounds(),
                r, i, ring, context.getSelf()));
          }
          prover.tell(new IdentityContract.Opened(session, pseudonym, 0,
              ring.stream().map(s -> new IdentityContract.Seat(s.nodeId(), s.publicKey())).toList(),
              parameters.rounds(), 1, node.nodeId(), context.getSelf()));
          SeedRingProtocol.VerifierCheck check = SeedRingProtocol.VerifierCheck.create(parameters, session, r);
          SeedRingProtocol.OpenRound open = check.start();
          for (VerifierNode.RingSeat seat : ring) {
            seat.verifier().tell(new VerifierNode.SeedHop(SeedStep.of(open)));
          }
          return running(timers, session, prover, ring, parameters, check);
        })
        .onMessage(Timeout.class, t -> end(prover, session, IdentityContract.TIMED_OUT,
            "no verifier answered", List.of()))
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  private static Behavior<IdentityContract.Command> running(TimerScheduler<IdentityContract.Command> timers,
      String session, ActorRef<IdentityContract.ProverEvent> prover, List<VerifierNode.RingSeat> ring,
      SeedRingProtocol.Parameters parameters, SeedRingProtocol.VerifierCheck check) {
    return Behaviors.receive(IdentityContract.Command.class)
        .onMessage(IdentityContract.SeedFromRing.class, from -> step(timers, session, prover, ring, parameters, check,
            from.step()))
        .onMessage(IdentityContract.SeedFromProver.class, from -> {
          SeedStep.Kind kind = from.step().kind();
          return kind == SeedStep.Kind.E1 || kind == SeedStep.Kind.E3
              ? step(timers, session, prover, ring, parameters, check, from.step())
              : Behaviors.same();
        })
        .onMessage(Timeout.class, t -> end(prover, session, IdentityContract.TIMED_OUT,
            "no decision within the session time-out, after " + check.acceptedRounds() + " accepted round(s)",
            ring))
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  /** Feeds one message to the check (the contract sum (3) and (9)) and routes what it emits. */
  private static Behavior<IdentityContract.Command> step(TimerScheduler<IdentityContract.Command> timers,
      String session, ActorRef<IdentityContract.ProverEvent> prover, List<VerifierNode.RingSeat> ring,
      SeedRingProtocol.Parameters parameters, SeedRingProtocol.VerifierCheck check, SeedStep step) {
    if (step.kind() == SeedStep.Kind.E2_RESULT) {
      // (7): node n's E2(V_n) is for the prover
      prover.tell(new IdentityContract.SeedToProver(session, step));
      return Behaviors.same();
    }
    Outcome<SeedRingProtocol.VerifierCheck, SeedRingProtocol.Message> outcome;
    try {
      outcome = check.onMessage(step.toMessage(parameters));
    } catch (IllegalArgumentException e) {
      return Behaviors.same();
    }
    if (outcome.refused()) {
      return Behaviors.same();
    }
    for (SeedRingProtocol.Message out : outcome.messages()) {
      if (out instanceof SeedRingProtocol.OpenRound open) {
        for (VerifierNode.RingSeat seat : ring) {
          seat.verifier().tell(new VerifierNode.SeedHop(SeedStep.of(open)));
        }
      } else if (out instanceof SeedRingProtocol.E2Pass pass) {
        ring.get(pass.hop()).verifier().tell(new VerifierNode.SeedHop(SeedStep.of(pass)));
      } else if (out instanceof SeedRingProtocol.RoundVerdict verdict) {
        prover.tell(new IdentityContract.SeedToProver(session, SeedStep.of(verdict)));
        if (verdict.last()) {
          timers.cancel(Timeout.INSTANCE);
          return end(prover, session,
              verdict.identified() ? IdentityContract.SEED_PASSED : IdentityContract.NOT_IDENTIFIED,
              outcome.state().acceptedRounds() + " of " + parameters.rounds() + " rounds accepted (seed protocol:"
                  + " anyone passes, nothing is written to the chain)", ring);
        }
      } else {
        prover.tell(new IdentityContract.SeedToProver(session, SeedStep.of(out)));
      }
    }
    return running(timers, session, prover, ring, parameters, outcome.state());
  }

  /** A seed session never identifies anyone ({@code identified} stays false): its pass is {@code SEED_PASSED}. */
  private static Behavior<IdentityContract.Command> end(ActorRef<IdentityContract.ProverEvent> prover, String session,
      String code, String detail, List<VerifierNode.RingSeat> ring) {
    for (VerifierNode.RingSeat seat : ring) {
      seat.verifier().tell(new VerifierNode.LeaveSession(session));
    }
    prover.tell(new IdentityContract.Finished(session, false, code, detail, null, -1, List.of(), List.of(), List.of()));
    return Behaviors.stopped();
  }
}
