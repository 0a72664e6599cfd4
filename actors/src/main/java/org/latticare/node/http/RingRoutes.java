package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.completeOKWithFuture;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractRequestEntity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import akka.actor.typed.ActorRef;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.tx.Role;
import org.latticare.node.http.auth.Caller;
import org.latticare.node.ring.VerifierNode;
import org.latticare.zkp.ring.RingAccumulator;

/**
 * {@code POST /api/ring/ping}: runs one or more passes of the verifier ring from this node and shows
 * each hop, so that an operator sees the ring and its latency.
 */
public final class RingRoutes {

  public static final int MAX_PASSES = 20;

  static final Endpoint PING = Endpoint.post("/api/ring/ping");
  public static final List<Endpoint> ENDPOINTS = List.of(PING);

  /**
   * {@code passes} from 1 to {@link #MAX_PASSES}; absent (or an empty body) means one. Checked by
   * {@link #count()} after unmarshalling, so that an unknown field is reported as such first.
   */
  public record RingPingRequest(Integer passes) {

    static final RingPingRequest ONE_PASS = new RingPingRequest(null);

    int count() {
      if (passes == null) {
        return 1;
      }
      if (passes < 1 || passes > MAX_PASSES) {
        throw new ApiException(ErrorCode.BAD_VALUE,
            "'passes' must be an integer from 1 to " + MAX_PASSES + ", not " + passes);
      }
      return passes;
    }
  }

  public record HopView(int index, String nodeId, String address, long sinceFirstHopMicros, String contribution) {}

  /** The last pass in full; with several passes, also their median and every latency (sorted). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RingPing(String passId, int attempts, List<HopView> hops, String accumulator,
      boolean accumulatorVerified, long latencyMicros, Integer passes, Long medianLatencyMicros,
      List<Long> latenciesMicros) {}

  private final NodeAsks asks;

  RingRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  /** Ring diagnostics cost every verifier node a hop: they are for the consortium's operators. */
  public Route routes(Caller caller) {
    return PING.route(() -> caller.role() != Role.OPERATOR
        ? Directives.failWith(ApiException.forbidden(Rejection.of(Rejection.Code.ROLE_NOT_ALLOWED,
            "ring diagnostics are for operators, not a " + caller.role())))
        : extractRequestEntity(body -> body.isKnownEmpty()
        ? ping(RingPingRequest.ONE_PASS)
        : entity(ApiJson.unmarshaller(RingPingRequest.class), this::ping)));
  }

  private Route ping(RingPingRequest request) {
    int passes = request.count();
    ActorRef<VerifierNode.Command> verifier = asks.node().verifier().orElseThrow(() -> new ApiException(
        ErrorCode.WRONG_NODE, "this node has no verifier role; ask a verifier node"));
    CompletionStage<List<VerifierNode.RingTrace>> traces = CompletableFuture.completedFuture(new ArrayList<>());
    for (int i = 0; i < passes; i++) {
      traces = traces.thenCompose(done -> asks.<VerifierNode.Command, VerifierNode.RingTrace>askWithStatus(
              verifier, VerifierNode.RunRingPass::new)
          .thenApply(trace -> {
            done.add(trace);
            return done;
          }));
    }
    CompletionStage<RingPing> answer = traces.handle((done, failure) -> {
      if (failure != null) {
        throw new ApiException(ErrorCode.UNAVAILABLE, "the ring pass failed: " + ApiErrors.rootCause(failure).getMessage());
      }
      return view(done);
    });
    return completeOKWithFuture(answer, ApiJson.marshaller());
  }

  private static RingPing view(List<VerifierNode.RingTrace> traces) {
    VerifierNode.RingTrace last = traces.get(traces.size() - 1);
    long startMicros = last.hops().isEmpty() ? 0 : last.hops().get(0).atEpochMicros();
    byte[] recomputed = RingAccumulator.initial();
    List<HopView> hops = new ArrayList<>();
    for (VerifierNode.Hop hop : last.hops()) {
      recomputed = RingAccumulator.fold(recomputed, hop.index(), hop.contribution());
      hops.add(new HopView(hop.index(), hop.nodeId(), hop.address(), hop.atEpochMicros() - startMicros,
          HexFormat.of().formatHex(hop.contribution())));
    }
    boolean verified = HexFormat.of().formatHex(recomputed).equals(last.accumulator());
    if (traces.size() == 1) {
      return new RingPing(last.passId(), last.attempts(), hops, last.accumulator(), verified, last.latencyMicros(),
          null, null, null);
    }
    long[] latencies = traces.stream().mapToLong(VerifierNode.RingTrace::latencyMicros).sorted().toArray();
    return new RingPing(last.passId(), last.attempts(), hops, last.accumulator(), verified, last.latencyMicros(),
        traces.size(), latencies[latencies.length / 2], Arrays.stream(latencies).boxed().toList());
  }
}
