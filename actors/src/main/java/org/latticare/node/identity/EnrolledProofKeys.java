package org.latticare.node.identity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.japi.function.Function;
import akka.pattern.StatusReply;
import org.latticare.cluster.Stages;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.LruCache;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityPublicKey;

/**
 * A patient's identity key for proofs as the front needs it to check a non-interactive proof: read from the
 * patient's enrolment on this node's replica, exactly as {@link IdentityContract} reads it for a ring session
 * ({@link IdentityContract#enrolmentKey}), and decoded once. An enrolment never changes, so a found key is
 * kept (bounded, least recently used first out), with its matrix {@code A} expanded on first use: a proof
 * then verifies in about 0.1 ms rather than 0.6.
 */
public final class EnrolledProofKeys {

  static final int CACHED = 10_000;

  /** The patient's key and hospital, or why there is none ({@code code}: {@code NOT_ENROLLED}, {@code NO_PROOF_KEY}). */
  public record Enrolment(IdentityPublicKey key, String organisation, String code, String detail) {
    public boolean found() {
      return key != null;
    }

    static Enrolment missing(String code, String detail) {
      return new Enrolment(null, null, code, detail);
    }
  }

  private final ActorSystem<?> system;
  private final ActorRef<ChainReplica.Command> replica;
  private final Duration timeout;
  private final LruCache<String, Enrolment> cache = new LruCache<>(CACHED);

  public EnrolledProofKeys(ActorSystem<?> system, ActorRef<ChainReplica.Command> replica, Duration timeout) {
    this.system = system;
    this.replica = replica;
    this.timeout = timeout;
  }

  public CompletionStage<Enrolment> of(String pseudonym) {
    Optional<Enrolment> known = cache.get(pseudonym);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known.get());
    }
    return this.<ChainReplica.PatientAccessAt>ask(replyTo -> new ChainReplica.GetPatientAccess(pseudonym, replyTo))
        .thenCompose(at -> at.access().organisation() == null
            ? CompletableFuture.completedFuture(Enrolment.missing(IdentityContract.NOT_ENROLLED,
                "'" + pseudonym + "' is not an enrolled patient"))
            : enrolment(pseudonym, at.access().organisation()));
  }

  /** A patient's first transaction is its enrolment, which carries its identity key. */
  private CompletionStage<Enrolment> enrolment(String pseudonym, String organisation) {
    return this.<ChainReplica.PatientTransactions>ask(
            replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo))
        .thenCompose(index -> this.<StatusReply<ChainReplica.TransactionProof>>ask(
            replyTo -> new ChainReplica.GetTransaction(index.transactionHashes().get(0), replyTo)))
        .thenApply(reply -> {
          if (reply.isError()) {
            return Enrolment.missing(IdentityContract.NOT_ENROLLED, "the enrolment of '" + pseudonym
                + "' could not be read: " + reply.getError().getMessage());
          }
          Optional<byte[]> key = IdentityContract.enrolmentKey(reply.getValue().transaction());
          if (key.isEmpty()) {
            return Enrolment.missing(IdentityContract.NO_PROOF_KEY, "'" + pseudonym
                + "' was enrolled without an identity key for proofs");
          }
          IdentificationParameters parameters = IdentificationParameters.byId(key.get()[2] & 0xff);
          Enrolment found = new Enrolment(IdentityPublicKey.decode(parameters, key.get()).orElseThrow(), organisation,
              null, null);
          cache.put(pseudonym, found);
          return found;
        });
  }

  private <T> CompletionStage<T> ask(Function<ActorRef<T>, ChainReplica.Command> message) {
    return Stages.direct(AskPattern.ask(replica, message, timeout, system.scheduler()));
  }
}
