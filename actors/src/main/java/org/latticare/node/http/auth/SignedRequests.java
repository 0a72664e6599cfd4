package org.latticare.node.http.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.latticare.ledger.tx.Role;
import org.latticare.node.http.auth.RequestVerifier.Passed;
import scala.concurrent.duration.FiniteDuration;

/**
 * The {@link Authenticator} of the HTTP front: a request reaches the inner route only with a valid
 * RFC 9421 signature by an enrolled identity (see {@link RequestVerifier}); otherwise it is answered
 * 401 (503 for {@link AuthFailure.Code#BUSY}) with {@code {"code", "message"}} and an
 * {@code Accept-Signature} header (RFC 9421 §5.1) saying what to sign.
 *
 * <p>The body is read strictly (at most {@code maxBodyBytes}, else 413) so it can be digested, and
 * the inner route still unmarshals it from the strict entity. The key lookup runs only after the
 * cheap checks, and ML-DSA-65 verification (about a millisecond) runs on {@code verification},
 * never on the thread that serves HTTP.
 *
 * <p>In place of a signature a request may carry {@code Authorization: Bearer <token>}, an
 * {@link IdentityToken} a front issued after the patient proved its identity. This is the one place
 * that accepts one, and only for the patient's own views: a {@code GET} of
 * {@code /api/patients/{pseudonym}/…} for the token's pseudonym, which the inner route then serves to
 * the patient as if it had signed. Anything else with a token is 403 {@code TOKEN_NOT_ALLOWED}; a
 * token that is forged, malformed or from a non-member is 401 {@code TOKEN_INVALID}, an expired one
 * 401 {@code TOKEN_EXPIRED}; a request with both a token and a signature is refused.
 */
public final class SignedRequests extends AllDirectives implements Authenticator {

  /** What an identity id resolves to on chain: who it is and the ML-DSA-65 key it signs with. */
  public record KeyedCaller(Caller caller, byte[] publicKey) {}

  public static final String ACCEPT_SIGNATURE =
      RequestSigner.LABEL + "=(\"@method\" \"@target-uri\" \"content-digest\");created;alg=\"" + SignatureParams.ALG + "\"";
  // Generous for a body of at most maxBodyBytes on loopback or a LAN; a slower sender is not worth a connection.
  private static final FiniteDuration BODY_TIMEOUT = FiniteDuration.create(10, "seconds");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer ";

  private record RefusalBody(String code, String message) {}

  private record Outcome(Caller caller, AuthFailure failure) {}

  private final Function<String, CompletionStage<Optional<KeyedCaller>>> keys;
  private final Executor verification;
  private final RequestVerifier verifier;
  private final long maxBodyBytes;
  private final Clock clock;
  private final IdentityTokens tokens;

  /**
   * @param keys the enrolled identity for a key id, looked up on chain (empty when there is none)
   * @param verification where ML-DSA-65 verification runs
   * @param nonces the replay cache; its window is the freshness window of {@code created}
   * @param maxBodyBytes the largest body read for digesting
   * @param tokens what checks bearer tokens ({@code null}: none is accepted)
   */
  public SignedRequests(Function<String, CompletionStage<Optional<KeyedCaller>>> keys, Executor verification,
      NonceCache nonces, long maxBodyBytes, Clock clock, IdentityTokens tokens) {
    this.keys = keys;
    this.verification = verification;
    this.verifier = new RequestVerifier(nonces);
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
    this.tokens = tokens;
  }

  /** Signed requests only: a bearer token is refused. */
  public SignedRequests(Function<String, CompletionStage<Optional<KeyedCaller>>> keys, Executor verification,
      NonceCache nonces, long maxBodyBytes, Clock clock) {
    this(keys, verification, nonces, maxBodyBytes, clock, null);
  }

  public Duration window() {
    return verifier.window();
  }

  @Override
  public Route authenticated(Function<Caller, Route> inner) {
    return toStrictEntity(BODY_TIMEOUT, maxBodyBytes, () ->
        extractRequest(request ->
            onSuccess(check(request), outcome ->
                outcome.failure() == null ? inner.apply(outcome.caller()) : refuse(outcome.failure()))));
  }

  private CompletionStage<Outcome> check(HttpRequest request) {
    Optional<String> bearer = header(request, "authorization")
        .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(value -> value.substring(BEARER.length()).strip());
    if (bearer.isPresent()) {
      return header(request, "signature").isPresent() || header(request, "signature-input").isPresent()
          ? refused(AuthFailure.of(AuthFailure.Code.MALFORMED_SIGNATURE,
              "a request carries a signature or a bearer token, not both"))
          : checkToken(request, bearer.get());
    }
    ReceivedRequest received;
    try {
      received = new ReceivedRequest(
          request.method().value(),
          TargetUri.of(URI.create(request.getUri().toString())),
          header(request, "content-digest"),
          header(request, "signature-input"),
          header(request, "signature"),
          ((HttpEntity.Strict) request.entity()).getData().toArray());
    } catch (IllegalArgumentException e) {
      return refused(AuthFailure.of(AuthFailure.Code.MALFORMED_SIGNATURE, "the target URI cannot be signed: " + e.getMessage()));
    }
    RequestVerifier.Screening screening = verifier.screen(received, clock.instant());
    if (screening instanceof AuthFailure failure) {
      return refused(failure);
    }
    Passed passed = (Passed) screening;
    return keys.apply(passed.keyId()).thenApplyAsync(found -> {
      Verdict verdict = verifier.conclude(passed, found.map(KeyedCaller::publicKey), clock.instant());
      return verdict instanceof AuthFailure failure ? new Outcome(null, failure) : new Outcome(found.orElseThrow().caller(), null);
    }, verification);
  }

  private CompletionStage<Outcome> checkToken(HttpRequest request, String token) {
    if (tokens == null) {
      return refused(AuthFailure.of(AuthFailure.Code.TOKEN_INVALID, "this front accepts no bearer tokens"));
    }
    return CompletableFuture.supplyAsync(() -> {
      IdentityTokens.TokenCheck checked = tokens.verify(token, clock.instant());
      if (checked instanceof AuthFailure failure) {
        return new Outcome(null, failure);
      }
      IdentityToken claims = ((IdentityTokens.Valid) checked).claims();
      return ownView(request, claims.pseudonym())
          ? new Outcome(new Caller(claims.pseudonym(), Role.PATIENT, claims.organisation()), null)
          : new Outcome(null, AuthFailure.of(AuthFailure.Code.TOKEN_NOT_ALLOWED, "a token of '" + claims.pseudonym()
              + "' opens only GET /api/patients/" + claims.pseudonym() + "/…; sign this request instead"));
    }, verification);
  }

  /** A {@code GET} of a view under {@code /api/patients/{pseudonym}/}, path segments compared decoded, as routes match them. */
  static boolean ownView(HttpRequest request, String pseudonym) {
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    return request.method().value().equals("GET") && segments.size() >= 4 && segments.get(0).equals("api")
        && segments.get(1).equals("patients") && segments.get(2).equals(pseudonym)
        && segments.subList(3, segments.size()).stream().noneMatch(String::isEmpty);
  }

  private static CompletionStage<Outcome> refused(AuthFailure failure) {
    return CompletableFuture.completedFuture(new Outcome(null, failure));
  }

  // RFC 9110 §5.3: repeated field lines are one field, joined by commas.
  private static Optional<String> header(HttpRequest request, String lowercaseName) {
    String joined = StreamSupport.stream(request.getHeaders().spliterator(), false)
        .filter(h -> h.lowercaseName().equals(lowercaseName))
        .map(HttpHeader::value)
        .collect(Collectors.joining(", "));
    return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
  }

  private Route refuse(AuthFailure failure) {
    HttpResponse response = HttpResponse.create()
        .withStatus(failure.httpStatus())
        .withEntity(ContentTypes.APPLICATION_JSON, json(failure));
    if (failure.code() == AuthFailure.Code.TOKEN_INVALID || failure.code() == AuthFailure.Code.TOKEN_EXPIRED) {
      response = response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }
    if (failure.code() != AuthFailure.Code.BUSY) {
      response = response.addHeader(RawHeader.create("Accept-Signature", ACCEPT_SIGNATURE));
    }
    return complete(response);
  }

  private static String json(AuthFailure failure) {
    try {
      return JSON.writeValueAsString(new RefusalBody(failure.code().name(), failure.message()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("two strings always serialise", e);
    }
  }
}
