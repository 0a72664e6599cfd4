package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.completeOKWithFuture;

import java.util.List;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.replica.ChainReplica;
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
    return TRANSACTIONS.route(PathMatchers.segment(), this::transactions);
  }

  private Route transactions(String pseudonym) {
    return completeOKWithFuture(asks.<ChainReplica.Command, ChainReplica.PatientTransactions>ask(
            asks.node().replica(), replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo))
        .thenApply(PatientTransactions::of), ApiJson.marshaller());
  }
}
