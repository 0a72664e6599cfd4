package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.List;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.Role;
import org.latticare.node.http.auth.Caller;

/**
 * {@code GET /api/organisations/{organisation}/alerts}: every break-glass opening of a record of the
 * organisation's patients, in chain order, for that organisation's privacy officer only. The list is
 * derived from the chain by the replica, so a privacy officer misses nothing while away.
 */
public final class OrganisationRoutes {

  static final Endpoint ALERTS = Endpoint.get("/api/organisations/{organisation}/alerts");
  public static final List<Endpoint> ENDPOINTS = List.of(ALERTS);

  /** One opening: whose record, which, by whom, why, until when, and where on chain. */
  public record AlertView(String pseudonym, String recordId, String clinician, String justification, long notAfterMillis,
      long height, int index, String transactionHash) {}

  public record AlertsView(String organisation, long height, List<AlertView> alerts) {}

  private final NodeAsks asks;

  OrganisationRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes(Caller caller) {
    return ALERTS.route(PathMatchers.segment(), organisation -> {
      if (caller.role() != Role.PRIVACY_OFFICER || !caller.organisation().equals(organisation)) {
        throw new ApiException(ErrorCode.FORBIDDEN, "an organisation's alerts are for its privacy officer");
      }
      return onSuccess(asks.<ChainReplica.Command, ChainReplica.Alerts>ask(asks.node().replica(),
              replyTo -> new ChainReplica.GetAlerts(organisation, replyTo)),
          alerts -> complete(StatusCodes.OK, new AlertsView(organisation, alerts.height(), alerts.alerts().stream()
              .map(a -> new AlertView(a.pseudonym(), a.opening().recordId(), a.opening().reader(), a.opening().purpose(),
                  a.opening().notAfterMillis(), a.opening().height(), a.opening().index(), a.opening().hash()))
              .toList()), ApiJson.marshaller()));
    });
  }
}
