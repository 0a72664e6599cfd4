package org.latticare.node.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.latticare.ledger.Block;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.LatticareNode.NodeRefs;
import org.latticare.cluster.Stages;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.ring.VerifierNode;

/**
 * The JSON API, served by Akka HTTP on nodes with the role {@code front}.
 *
 * <p>Bad input — malformed JSON, unknown fields, values out of range, an oversized body, an invalid
 * transaction — gets a 4xx with {@code {"error": …}} or the refusal's reason and changes nothing. A
 * transaction is acknowledged (201) only once a majority of replicas has persisted its block.
 */
public final class HttpFront extends AllDirectives {

  public static final int MAX_PASSES = 20;

  private static final ObjectMapper JSON = LedgerJson.MAPPER;

  private final ActorSystem<?> system;
  private final NodeRefs node;
  private final Duration timeout;

  public HttpFront(ActorSystem<?> system, NodeRefs node) {
    this.system = system;
    this.node = node;
    this.timeout = node.settings().askTimeout();
  }

  /** Binds the API; fails with a clear message when the port is taken. */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, NodeRefs node, String iface, int port) {
    return Http.get(system).newServerAt(iface, port).bind(new HttpFront(system, node).routes())
        .exceptionally(failure -> {
          throw new IllegalStateException("cannot serve HTTP on " + iface + ":" + port + " ("
              + rootCause(failure).getMessage() + "); is another node or program using the port? Use --port.",
              failure);
        });
  }

  public Route routes() {
    return handleExceptions(exceptionHandler(), () -> handleRejections(jsonRejections(), () ->
        withSizeLimit(node.settings().maxBodyBytes(), () -> concat(
            path("health", () -> get(this::health)),
            pathPrefix("api", () -> concat(
                path("cluster", () -> get(this::cluster)),
                pathPrefix("chain", () -> concat(
                    path("head", () -> get(this::chainHead)),
                    path(PathMatchers.segment("blocks").slash(PathMatchers.longSegment()),
                        height -> get(() -> block(height))))),
                path("transactions", () -> post(() -> jsonBody(this::submit))),
                path(PathMatchers.segment("transactions").slash(PathMatchers.segment()),
                    hash -> get(() -> transaction(hash))),
                path(PathMatchers.segment("patients").slash(PathMatchers.segment()).slash("transactions"),
                    pseudonym -> get(() -> patientTransactions(pseudonym))),
                path(PathMatchers.segment("ring").slash("ping"), () -> post(() -> jsonBody(this::ringPing)))))))));
  }

  private Route health() {
    Cluster cluster = Cluster.get(system);
    long up = upMembers(cluster).count();
    boolean selfUp = cluster.selfMember().status() == MemberStatus.up();
    CompletionStage<HttpResponse> response = Stages.direct(AskPattern.<ChainReplica.Command, ChainReplica.Head>ask(
            node.replica(), ChainReplica.GetHead::new, timeout, system.scheduler()))
        .thenApply(head -> {
          boolean healthy = selfUp && up >= node.settings().expectedMembers();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", healthy ? "up" : "starting");
          body.put("node", node.settings().nodeId());
          body.put("membersUp", up);
          body.put("expectedMembers", node.settings().expectedMembers());
          body.put("chainHeight", head.height());
          return json(healthy ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, body);
        })
        .exceptionally(failure -> error(StatusCodes.SERVICE_UNAVAILABLE,
            "the chain replica has not recovered yet: " + rootCause(failure).getMessage()));
    return completeWithFuture(response);
  }

  private Route cluster() {
    Cluster cluster = Cluster.get(system);
    Set<Member> unreachable = cluster.state().getUnreachable();
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("address", member.address().toString());
      view.put("roles", member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList());
      view.put("status", member.status().toString());
      view.put("reachable", !unreachable.contains(member));
      members.add(view);
    }
    CompletionStage<List<VerifierNode.Member>> ring = node.verifier()
        .map(verifier -> Stages.direct(AskPattern.<VerifierNode.Command, VerifierNode.RingView>ask(
                verifier, VerifierNode.GetRing::new, timeout, system.scheduler()))
            .thenApply(VerifierNode.RingView::members))
        .orElse(CompletableFuture.completedFuture(List.of()));
    return completeWithFuture(ring.thenApply(members1 -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("self", cluster.selfMember().address().toString());
      body.put("members", members);
      body.put("ring", members1);
      return json(StatusCodes.OK, body);
    }));
  }

  private Route chainHead() {
    return completeWithFuture(Stages.direct(AskPattern.<ChainReplica.Command, ChainReplica.Head>ask(
            node.replica(), ChainReplica.GetHead::new, timeout, system.scheduler()))
        .thenApply(head -> json(StatusCodes.OK, head)));
  }

  private Route block(long height) {
    return completeWithFuture(Stages.direct(AskPattern.<ChainReplica.Command, StatusReply<byte[]>>ask(
            node.replica(), replyTo -> new ChainReplica.GetBlock(height, replyTo), timeout, system.scheduler()))
        .thenApply(reply -> reply.isSuccess()
            ? json(StatusCodes.OK, LedgerJson.block(Block.decode(reply.getValue())))
            : error(StatusCodes.NOT_FOUND, reply.getError().getMessage())));
  }

  private Route transaction(String hash) {
    return completeWithFuture(Stages.direct(AskPattern.<ChainReplica.Command, StatusReply<ChainReplica.TransactionProof>>ask(
            node.replica(), replyTo -> new ChainReplica.GetTransaction(hash, replyTo), timeout, system.scheduler()))
        .thenApply(reply -> reply.isSuccess()
            ? json(StatusCodes.OK, LedgerJson.transactionWithProof(reply.getValue()))
            : error(StatusCodes.NOT_FOUND, reply.getError().getMessage())));
  }

  private Route patientTransactions(String pseudonym) {
    return completeWithFuture(Stages.direct(AskPattern.<ChainReplica.Command, ChainReplica.PatientTransactions>ask(
            node.replica(), replyTo -> new ChainReplica.GetPatientTransactions(pseudonym, replyTo), timeout,
            system.scheduler()))
        .thenApply(index -> json(StatusCodes.OK, index)));
  }

  /** Body {@code {"transaction": "<base64 canonical encoding>"}}; answers once committed or refused. */
  private Route submit(JsonNode body) {
    checkFields(body, Set.of("transaction"));
    JsonNode field = body.get("transaction");
    if (field == null || !field.isTextual()) {
      throw new BadRequest("'transaction' must be the base64 of a signed transaction's canonical encoding");
    }
    byte[] transaction;
    try {
      transaction = Base64.getDecoder().decode(field.asText());
    } catch (IllegalArgumentException e) {
      throw new BadRequest("'transaction' is not valid base64: " + e.getMessage());
    }
    return completeWithFuture(Stages.direct(AskPattern.<Mempool.Command, SubmitResult>ask(
            node.mempool(), replyTo -> new Mempool.Submit(transaction, replyTo), timeout, system.scheduler()))
        .thenApply(result -> json(switch (result.outcome()) {
          case COMMITTED -> StatusCodes.CREATED;
          case REFUSED -> StatusCodes.BAD_REQUEST;
          case UNAVAILABLE -> StatusCodes.SERVICE_UNAVAILABLE;
        }, result))
        .exceptionally(failure -> error(StatusCodes.SERVICE_UNAVAILABLE, "no answer within " + timeout.toMillis()
            + " ms; the transaction may still commit: look it up by hash before resubmitting")));
  }

  private Route ringPing(JsonNode body) {
    checkFields(body, Set.of("passes"));
    int passes = 1;
    if (body.has("passes")) {
      JsonNode value = body.get("passes");
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > MAX_PASSES) {
        throw new BadRequest("'passes' must be an integer from 1 to " + MAX_PASSES);
      }
      passes = value.asInt();
    }
    if (node.verifier().isEmpty()) {
      return complete(error(StatusCodes.CONFLICT, "this node has no verifier role; ask a verifier node"));
    }
    CompletionStage<List<VerifierNode.RingTrace>> traces = CompletableFuture.completedFuture(new ArrayList<>());
    for (int i = 0; i < passes; i++) {
      traces = traces.thenCompose(done -> Stages.direct(AskPattern.<VerifierNode.Command, VerifierNode.RingTrace>askWithStatus(
              node.verifier().get(), VerifierNode.RunRingPass::new, timeout, system.scheduler()))
          .thenApply(trace -> {
            done.add(trace);
            return done;
          }));
    }
    return completeWithFuture(traces
        .thenApply(done -> json(StatusCodes.OK, ringPingView(done)))
        .exceptionally(failure -> error(StatusCodes.SERVICE_UNAVAILABLE,
            "the ring pass failed: " + rootCause(failure).getMessage())));
  }

  private static Map<String, Object> ringPingView(List<VerifierNode.RingTrace> traces) {
    VerifierNode.RingTrace last = traces.get(traces.size() - 1);
    long startMicros = last.hops().isEmpty() ? 0 : last.hops().get(0).atEpochMicros();
    byte[] recomputed = new byte[32];
    List<Map<String, Object>> hops = new ArrayList<>();
    for (VerifierNode.Hop hop : last.hops()) {
      recomputed = VerifierNode.fold(recomputed, hop.index(), hop.contribution());
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("index", hop.index());
      view.put("nodeId", hop.nodeId());
      view.put("address", hop.address());
      view.put("sinceFirstHopMicros", hop.atEpochMicros() - startMicros);
      view.put("contribution", HexFormat.of().formatHex(hop.contribution()));
      hops.add(view);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("passId", last.passId());
    body.put("attempts", last.attempts());
    body.put("hops", hops);
    body.put("accumulator", last.accumulator());
    body.put("accumulatorVerified", HexFormat.of().formatHex(recomputed).equals(last.accumulator()));
    body.put("latencyMicros", last.latencyMicros());
    if (traces.size() > 1) {
      long[] latencies = traces.stream().mapToLong(VerifierNode.RingTrace::latencyMicros).sorted().toArray();
      body.put("passes", traces.size());
      body.put("medianLatencyMicros", latencies[latencies.length / 2]);
      body.put("latenciesMicros", Arrays.stream(latencies).boxed().toList());
    }
    return body;
  }

  /** Reads the body as a JSON object; an empty body counts as {@code {}}. */
  private Route jsonBody(java.util.function.Function<JsonNode, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> {
      JsonNode body;
      try {
        body = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
      } catch (JsonProcessingException e) {
        return complete(error(StatusCodes.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage()));
      }
      if (body == null || !body.isObject()) {
        return complete(error(StatusCodes.BAD_REQUEST, "the body must be a JSON object"));
      }
      return inner.apply(body);
    });
  }

  private static void checkFields(JsonNode body, Set<String> allowed) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadRequest("unknown field '" + name + "'; allowed: " + allowed.stream().sorted().toList());
      }
    }
  }

  private java.util.stream.Stream<Member> upMembers(Cluster cluster) {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up());
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(BadRequest.class, e -> complete(error(StatusCodes.BAD_REQUEST, e.getMessage())))
        .matchAny(e -> {
          system.log().error("Request failed", e);
          return complete(error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + e.getMessage()));
        })
        .build();
  }

  /** Akka's default rejection answers, with their status kept and their text wrapped as JSON. */
  private static RejectionHandler jsonRejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict
          && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            toJson(Map.of("error", strict.getData().utf8String()))));
      }
      return response;
    });
  }

  static HttpResponse json(StatusCode status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
        toJson(body)));
  }

  static HttpResponse error(StatusCode status, String message) {
    return json(status, Map.of("error", message));
  }

  private static byte[] toJson(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response not serializable as JSON", e);
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Input the API refuses with 400. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
