package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.completeOKWithFuture;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.List;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.cluster.sharding.typed.ShardingEnvelope;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.http.LedgerViews.PatientTransactions;
import org.latticare.node.http.auth.Caller;

/** {@code GET /api/patients/{pseudonym}/transactions}: every transaction concerning a patient, in chain order. */
public final class PatientRoutes {

  static final Endpoint TRANSACTIONS = Endpoint.get("/api/patients/{pseudonym}/transactions");
  public static final List<Endpoint> ENDPOINTS = List.of(TRANSACTIONS);

  private final NodeAsks asks;

  PatientRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes(Caller caller) {
    return TRANSACTIONS.route(PathMatchers.segment(), pseudonym -> transactions(caller, pseudonym));
  }

  /**
   * Only for the patient, its hospital's privacy officer and its active grantees: the patient's
   * {@link AccessContract} (wherever sharding runs it) decides from the chain, then this node's replica
   * answers.
   */
  private Route transactions(Caller caller, String pseudonym) {
    // AccessPolicy reads the caller's id, role and organisation; the key was checked by the authenticator.
    TxBody.Identity identity = new TxBody.Identity(caller.identityId(), caller.role().wireName(),
        caller.organisation(), AUTHENTICATED_ELSEWHERE);
    return onSuccess(asks.<ShardingEnvelope<AccessContract.Command>, AccessContract.Decision>ask(asks.node().contracts(),
            replyTo -> new ShardingEnvelope<>(pseudonym, new AccessContract.Decide(identity,
                AccessContract.Action.VIEW_PATIENT, null, System.currentTimeMillis(), replyTo))),
        decision -> {
          if (!decision.allowed()) {
            throw ApiException.forbidden(decision.rejection());
          }
          return completeOKWithFuture(asks.<ChainReplica.Command, ChainReplica.PatientTransactions>ask(
                  asks.node().replica(), replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo))
              .thenApply(PatientTransactions::of), ApiJson.marshaller());
        });
  }

  private static final byte[] AUTHENTICATED_ELSEWHERE = {0};
}
