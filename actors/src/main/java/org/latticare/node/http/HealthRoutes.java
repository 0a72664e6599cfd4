package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.List;
import java.util.stream.StreamSupport;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.replica.ChainReplica;

/** {@code GET /health}: open to anyone (load balancers and probes carry no signature). */
public final class HealthRoutes {

  static final Endpoint HEALTH = Endpoint.get("/health");
  public static final List<Endpoint> ENDPOINTS = List.of(HEALTH);

  /** {@code status} is {@code up} once this node and {@code expectedMembers} members are Up and the chain has recovered. */
  public record Health(String status, String node, long membersUp, int expectedMembers, long chainHeight) {}

  private final NodeAsks asks;

  HealthRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes() {
    return HEALTH.route(this::health);
  }

  private Route health() {
    Cluster cluster = Cluster.get(asks.system());
    long up = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(member -> member.status() == MemberStatus.up()).count();
    boolean selfUp = cluster.selfMember().status() == MemberStatus.up();
    int expected = asks.node().settings().expectedMembers();
    return onSuccess(asks.<ChainReplica.Command, ChainReplica.Head>ask(asks.node().replica(), ChainReplica.GetHead::new),
        head -> {
          boolean healthy = selfUp && up >= expected;
          return complete(healthy ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
              new Health(healthy ? "up" : "starting", asks.node().settings().nodeId(), up, expected, head.height()),
              ApiJson.marshaller());
        });
  }
}
