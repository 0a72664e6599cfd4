package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.tx.Role;
import org.latticare.node.http.JupiterRouteTest;
import org.latticare.node.http.auth.RequestSigner.SignedHeaders;
import org.latticare.node.http.auth.SignedRequests.KeyedCaller;

/** Each refusal of a signed-request route, and that nothing behind it runs for a refused request. */
class SignedRequestsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  // The testkit makes a request's URI absolute against this default host.
  private static final URI TARGET = URI.create("http://example.com/api/notes?patient=p-1");
  private static final byte[] BODY = "{\"note\": \"fine\"}".getBytes(StandardCharsets.UTF_8);
  private static final MlDsa65.KeyPair ALICE = MlDsa65.generate();
  private static final MlDsa65.KeyPair BOB = MlDsa65.generate();
  private static final Map<String, KeyedCaller> ENROLLED = Map.of(
      "alice", new KeyedCaller(new Caller("alice", Role.CLINICIAN, "st-mary"), ALICE.publicKey()),
      "bob", new KeyedCaller(new Caller("bob", Role.RESEARCHER, "uni"), BOB.publicKey()));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ActorTestKit testKit;
  private static JupiterRouteTest routes;
  private static ExecutorService verification;

  private final AtomicInteger innerRuns = new AtomicInteger();
  private Route route;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    routes = new JupiterRouteTest() {
      @Override
      protected akka.actor.typed.ActorSystem<?> typedSystem() {
        return testKit.system();
      }
    };
    verification = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    verification.shutdownNow();
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshRoute() {
    route = routeWith(new NonceCache(Duration.ofSeconds(60)));
  }

  private Route routeWith(NonceCache nonces) {
    SignedRequests signed = new SignedRequests(
        id -> CompletableFuture.completedFuture(Optional.ofNullable(ENROLLED.get(id))), verification, nonces, 64 * 1024, CLOCK);
    AllDirectives d = new AllDirectives() {};
    return signed.authenticated(caller -> {
      innerRuns.incrementAndGet();
      return d.entity(Unmarshaller.entityToString(), body -> d.complete(caller.identityId() + "/" + caller.role() + " read " + body));
    });
  }

  private static SignedHeaders sign(String keyId, MlDsa65.KeyPair key, Instant at, byte[] body) {
    return new RequestSigner(keyId, key, Clock.fixed(at, ZoneOffset.UTC), RequestSigner::randomNonce).sign("POST", TARGET, body);
  }

  private static HttpRequest post(byte[] body, SignedHeaders headers) {
    return post(body, headers.contentDigest(), headers.signatureInput(), headers.signature());
  }

  private static HttpRequest post(byte[] body, String contentDigest, String signatureInput, String signature) {
    return HttpRequest.POST(TARGET.getRawPath() + "?" + TARGET.getRawQuery())
        .withEntity(ContentTypes.APPLICATION_JSON, body)
        .addHeader(RawHeader.create("Content-Digest", contentDigest))
        .addHeader(RawHeader.create("Signature-Input", signatureInput))
        .addHeader(RawHeader.create("Signature", signature));
  }

  private TestRouteResult run(HttpRequest request) {
    return routes.testRoute(route).run(request);
  }

  private void assertRefused(TestRouteResult result, int status, AuthFailure.Code code) throws Exception {
    assertThat(result.statusCode()).isEqualTo(status);
    JsonNode body = JSON.readTree(result.entityString());
    assertThat(body.get("code").asText()).isEqualTo(code.name());
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(innerRuns).as("the inner route must not run").hasValue(0);
  }

  @Test
  void aSignedRequestReachesTheInnerRouteAsItsCallerWithItsBodyStillReadable() {
    run(post(BODY, sign("alice", ALICE, NOW, BODY)))
        .assertStatusCode(200)
        .assertEntity("alice/clinician read {\"note\": \"fine\"}");
    assertThat(innerRuns).hasValue(1);
  }

  @Test
  void anUnsignedRequestIsToldWhatToSign() throws Exception {
    TestRouteResult result = run(HttpRequest.POST("/api/notes").withEntity(ContentTypes.APPLICATION_JSON, BODY));
    assertRefused(result, 401, AuthFailure.Code.UNSIGNED);
    result.assertHeaderExists("Accept-Signature", SignedRequests.ACCEPT_SIGNATURE);
  }

  @Test
  void aStaleSignatureIsRefused() throws Exception {
    assertRefused(run(post(BODY, sign("alice", ALICE, NOW.minusSeconds(61), BODY))), 401, AuthFailure.Code.STALE);
  }

  @Test
  void aReplayedRequestIsRefused() throws Exception {
    SignedHeaders headers = sign("alice", ALICE, NOW, BODY);
    run(post(BODY, headers)).assertStatusCode(200);
    innerRuns.set(0);
    assertRefused(run(post(BODY, headers)), 401, AuthFailure.Code.REPLAYED);
  }

  @Test
  void aTamperedBodyIsADigestMismatch() throws Exception {
    SignedHeaders headers = sign("alice", ALICE, NOW, BODY);
    byte[] tampered = "{\"note\": \"worse\"}".getBytes(StandardCharsets.UTF_8);
    assertRefused(run(post(tampered, headers)), 401, AuthFailure.Code.DIGEST_MISMATCH);
  }

  @Test
  void aTamperedBodyWithARecomputedDigestFailsTheSignature() throws Exception {
    SignedHeaders headers = sign("alice", ALICE, NOW, BODY);
    byte[] tampered = "{\"note\": \"worse\"}".getBytes(StandardCharsets.UTF_8);
    assertRefused(run(post(tampered, ContentDigest.of(tampered), headers.signatureInput(), headers.signature())),
        401, AuthFailure.Code.BAD_SIGNATURE);
  }

  @Test
  void anUnknownKeyIdIsRefused() throws Exception {
    assertRefused(run(post(BODY, sign("carol", MlDsa65.generate(), NOW, BODY))), 401, AuthFailure.Code.UNKNOWN_KEY);
  }

  @Test
  void aSignatureByAnotherIdentitysKeyIsRefused() throws Exception {
    assertRefused(run(post(BODY, sign("alice", BOB, NOW, BODY))), 401, AuthFailure.Code.BAD_SIGNATURE);
  }

  @Test
  void malformedSignatureHeadersAreRefused() throws Exception {
    SignedHeaders headers = sign("alice", ALICE, NOW, BODY);
    assertRefused(run(post(BODY, headers.contentDigest(), "sig1=(\"@method\"", headers.signature())),
        401, AuthFailure.Code.MALFORMED_SIGNATURE);
    assertRefused(run(post(BODY, headers.contentDigest(), headers.signatureInput().replace(" \"content-digest\"", ""),
        headers.signature())), 401, AuthFailure.Code.MALFORMED_SIGNATURE);
  }

  @Test
  void aFullReplayCacheAnswers503() throws Exception {
    route = routeWith(new NonceCache(Duration.ofSeconds(60), 1));
    run(post(BODY, sign("alice", ALICE, NOW, BODY))).assertStatusCode(200);
    innerRuns.set(0);
    assertRefused(run(post(BODY, sign("alice", ALICE, NOW, BODY))), 503, AuthFailure.Code.BUSY);
  }

  @Test
  void whatTheJdkClientSignsIsWhatTheServerRebuilds() throws Exception {
    SignedRequests signed = new SignedRequests(
        id -> CompletableFuture.completedFuture(Optional.ofNullable(ENROLLED.get(id))), verification,
        new NonceCache(Duration.ofSeconds(60)), 64 * 1024, Clock.systemUTC());
    AllDirectives d = new AllDirectives() {};
    Route echo = signed.authenticated(caller ->
        d.entity(Unmarshaller.entityToString(), body -> d.complete(caller.identityId() + " read " + body)));
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(echo).toCompletableFuture().get();
    try {
      URI target = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/api/x?y=1&z=a%20b");
      java.net.http.HttpRequest request = new RequestSigner("bob", BOB)
          .request("POST", target, BODY, "application/json").timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("bob read {\"note\": \"fine\"}");
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      binding.unbind().toCompletableFuture().get();
    }
  }
}
