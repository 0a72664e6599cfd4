package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import org.hl7.fhir.r4.model.Bundle;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.fhir.FhirViews;
import org.latticare.node.http.auth.Caller;

/**
 * A patient's access log and grants as HL7 FHIR R4 JSON ({@code application/fhir+json}), for the patient
 * and its hospital's privacy officer: {@code GET /api/patients/{pseudonym}/audit-events} (every read and
 * break-glass opening of its records, as {@code AuditEvent}s, from the chain) and {@code GET
 * /api/patients/{pseudonym}/consents} (every grant on its records, as {@code Consent}s, active or not).
 */
public final class FhirRoutes {

  static final Endpoint AUDIT_EVENTS = Endpoint.get("/api/patients/{pseudonym}/audit-events");
  static final Endpoint CONSENTS = Endpoint.get("/api/patients/{pseudonym}/consents");
  public static final List<Endpoint> ENDPOINTS = List.of(AUDIT_EVENTS, CONSENTS);

  private static final ContentType FHIR_JSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset("fhir+json",
      akka.http.javadsl.model.HttpCharsets.UTF_8));

  private final NodeAsks asks;
  private final Decisions decisions;

  FhirRoutes(NodeAsks asks) {
    this.asks = asks;
    this.decisions = new Decisions(asks);
  }

  public Route routes(Caller caller) {
    return concat(
        AUDIT_EVENTS.route(PathMatchers.segment(), pseudonym -> decisions.decided(caller, pseudonym,
            AccessContract.Action.READ_NOTIFICATIONS, null, () -> onSuccess(log(pseudonym),
                transactions -> fhir(FhirViews.auditEvents(pseudonym, transactions))))),
        CONSENTS.route(PathMatchers.segment(), pseudonym -> decisions.decided(caller, pseudonym,
            AccessContract.Action.READ_NOTIFICATIONS, null, () -> onSuccess(
                asks.<ChainReplica.Command, ChainReplica.PatientAccessAt>ask(asks.node().replica(),
                    replyTo -> new ChainReplica.GetPatientAccess(pseudonym, replyTo)),
                at -> fhir(FhirViews.consents(at.access(), Math.max(System.currentTimeMillis(), at.timeMillis())))))));
  }

  /** Every transaction concerning the patient, in chain order, read from this node's replica. */
  private CompletionStage<List<PatientTransaction>> log(String pseudonym) {
    return asks.<ChainReplica.Command, ChainReplica.PatientTransactions>ask(asks.node().replica(),
            replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo))
        .thenCompose(index -> {
          List<CompletableFuture<PatientTransaction>> found = new ArrayList<>();
          for (String hash : index.transactionHashes()) {
            found.add(asks.<ChainReplica.Command, StatusReply<ChainReplica.TransactionProof>>ask(asks.node().replica(),
                    replyTo -> new ChainReplica.GetTransaction(hash, replyTo))
                .thenApply(reply -> {
                  ChainReplica.TransactionProof proof = reply.getValue();
                  return PatientTransaction.of(Transaction.decode(proof.transaction()), proof.height(), proof.index());
                }).toCompletableFuture());
          }
          return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new))
              .thenApply(done -> found.stream().map(CompletableFuture::join).toList());
        });
  }

  private static Route fhir(Bundle bundle) {
    return complete(HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(FHIR_JSON,
            FhirViews.json().encodeResourceToString(bundle).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }
}
