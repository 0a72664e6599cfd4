package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.completeOKWithFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.server.Route;
import org.latticare.node.ring.VerifierNode;

/** {@code GET /api/cluster}: the members this node sees and the verifier ring. */
public final class ClusterRoutes {

  static final Endpoint CLUSTER = Endpoint.get("/api/cluster");
  public static final List<Endpoint> ENDPOINTS = List.of(CLUSTER);

  public record MemberView(String address, List<String> roles, String status, boolean reachable) {}

  public record RingMember(int index, String nodeId, String address) {}

  public record ClusterView(String self, List<MemberView> members, List<RingMember> ring) {}

  private final NodeAsks asks;

  ClusterRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes() {
    return CLUSTER.route(this::cluster);
  }

  private Route cluster() {
    Cluster cluster = Cluster.get(asks.system());
    Set<Member> unreachable = cluster.state().getUnreachable();
    List<MemberView> members = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      members.add(new MemberView(member.address().toString(),
          member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().toList(),
          member.status().toString(), !unreachable.contains(member)));
    }
    CompletionStage<List<RingMember>> ring = asks.node().verifier()
        .map(verifier -> asks.<VerifierNode.Command, VerifierNode.RingView>ask(verifier, VerifierNode.GetRing::new)
            .thenApply(view -> view.members().stream()
                .map(m -> new RingMember(m.index(), m.nodeId(), m.address())).toList()))
        .orElse(CompletableFuture.completedFuture(List.of()));
    return completeOKWithFuture(
        ring.thenApply(inRing -> new ClusterView(cluster.selfMember().address().toString(), members, inRing)),
        ApiJson.marshaller());
  }
}
