package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.completeOKWithFuture;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.parameterOptional;

import java.util.List;

import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.contract.PatientGateway;
import org.latticare.node.http.LedgerViews.PatientTransactions;
import org.latticare.node.http.auth.Caller;

/**
 * A patient's views, each decided first by the patient's {@link AccessContract} (wherever sharding
 * runs it) from the chain: {@code GET /api/patients/{pseudonym}/transactions} (the patient, its
 * hospital's privacy officer, its active grantees), answered by this node's replica, and the patient's
 * notifications held by its {@link PatientGateway}: {@code GET …/notifications} (the patient and its
 * privacy officer) and {@code POST …/notifications/seen} (the patient only).
 */
public final class PatientRoutes {

  static final Endpoint TRANSACTIONS = Endpoint.get("/api/patients/{pseudonym}/transactions");
  static final Endpoint NOTIFICATIONS = Endpoint.get("/api/patients/{pseudonym}/notifications");
  static final Endpoint SEEN = Endpoint.post("/api/patients/{pseudonym}/notifications/seen");
  public static final List<Endpoint> ENDPOINTS = List.of(TRANSACTIONS, NOTIFICATIONS, SEEN);

  /** The patient has seen every notification up to this chain position (a notification's height and index). */
  public record Seen(long height, int index) {}

  private final NodeAsks asks;
  private final Decisions decisions;

  PatientRoutes(NodeAsks asks) {
    this.asks = asks;
    this.decisions = new Decisions(asks);
  }

  public Route routes(Caller caller) {
    return akka.http.javadsl.server.Directives.concat(
        TRANSACTIONS.route(PathMatchers.segment(), pseudonym ->
            decisions.decided(caller, pseudonym, AccessContract.Action.VIEW_PATIENT, null, () -> transactions(pseudonym))),
        NOTIFICATIONS.route(PathMatchers.segment(), pseudonym ->
            parameterOptional("afterHeight", afterHeight -> parameterOptional("afterIndex", afterIndex -> {
              // absent: from the start (-1)
              long height = QueryParameters.integer("afterHeight", afterHeight, -1, Long.MAX_VALUE, -1);
              int index = (int) Math.min(QueryParameters.integer("afterIndex", afterIndex, -1, Long.MAX_VALUE, -1),
                  Integer.MAX_VALUE);
              return decisions.decided(caller, pseudonym, AccessContract.Action.READ_NOTIFICATIONS, null,
                  () -> notifications(pseudonym, height, index));
            }))),
        SEEN.route(PathMatchers.segment(), pseudonym -> entity(ApiJson.unmarshaller(Seen.class), seen -> {
          if (seen.height() < 0 || seen.index() < 0) {
            throw new ApiException(ErrorCode.BAD_VALUE, "'height' and 'index' name a notification: both are >= 0");
          }
          return decisions.decided(caller, pseudonym, AccessContract.Action.ACKNOWLEDGE_NOTIFICATIONS, null, () -> {
            asks.node().gateways().tell(new ShardingEnvelope<>(pseudonym,
                new PatientGateway.Acknowledge(seen.height(), seen.index())));
            return complete(StatusCodes.NO_CONTENT);
          });
        })));
  }

  private Route transactions(String pseudonym) {
    return completeOKWithFuture(asks.<ChainReplica.Command, ChainReplica.PatientTransactions>ask(
            asks.node().replica(), replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo))
        .thenApply(PatientTransactions::of), ApiJson.marshaller());
  }

  private Route notifications(String pseudonym, long afterHeight, int afterIndex) {
    return completeOKWithFuture(asks.<ShardingEnvelope<PatientGateway.Command>, PatientGateway.Notifications>ask(
        asks.node().gateways(), replyTo -> new ShardingEnvelope<>(pseudonym,
            new PatientGateway.GetNotifications(afterHeight, afterIndex, System.currentTimeMillis(), replyTo))),
        ApiJson.marshaller());
  }
}
