package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractRequestEntity;
import static akka.http.javadsl.server.Directives.onSuccess;
import static akka.http.javadsl.server.Directives.parameterOptional;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.latticare.ledger.tx.Role;
import org.latticare.node.contract.PatientGateway;
import org.latticare.node.http.auth.Caller;
import org.latticare.node.http.auth.IdentityTokens;
import org.latticare.node.identity.IdentityContract;
import org.latticare.zkp.sigma.IdentificationParameters;

/**
 * A patient proves its identity from its own device, through its {@link PatientGateway}, which relays the
 * session to the ring of verifiers ({@link IdentityContract}); the secret never leaves the device. Every route
 * is the patient's own: signed by the patient's identity (or, for reading events, its token), anyone else 403
 * {@code NOT_THE_PATIENT}; a session belongs to the patient that opened it (another's is {@code UNKNOWN_SESSION}).
 * <ul>
 *   <li>{@code POST /api/patients/{pseudonym}/proofs} opens a session: its id, parameter set, ring (the verifier
 *       nodes and their ML-DSA-65 keys, which the prover checks the challenge's hops against), rounds and
 *       attempts (503 {@code RING_BUSY} with {@code Retry-After}: open another later);</li>
 *   <li>{@code POST …/proofs/{session}/messages} relays a commitment or response frame of that session;</li>
 *   <li>{@code GET …/proofs/{session}/events?after=N&wait=S} long-polls (at most {@code identity.gateway.max-poll-wait})
 *       for the challenges, a ring re-formed after a lost verifier (the prover starts again on it) and the
 *       outcome, in order;</li>
 *   <li>{@code POST …/proofs/{session}/token}: once, for a session that ended {@code IDENTIFIED}, a token
 *       ({@link IdentityTokens}) that opens the patient's own views for a few minutes.</li>
 * </ul>
 */
public final class ProofRoutes {

  static final Endpoint OPEN = Endpoint.post("/api/patients/{pseudonym}/proofs");
  static final Endpoint MESSAGES = Endpoint.post("/api/patients/{pseudonym}/proofs/{session}/messages");
  static final Endpoint EVENTS = Endpoint.get("/api/patients/{pseudonym}/proofs/{session}/events");
  static final Endpoint TOKEN = Endpoint.post("/api/patients/{pseudonym}/proofs/{session}/token");
  public static final List<Endpoint> ENDPOINTS = List.of(OPEN, MESSAGES, EVENTS, TOKEN);

  /** Seconds a client waits before opening another session after {@code RING_BUSY}. */
  static final long RETRY_AFTER_SECONDS = 1;

  /** The body of requests that take none: empty, or an object without fields (anything else is refused). */
  public record NoFields() {}

  /** One seat of the session's ring: the verifier node and its ML-DSA-65 public key (base64). */
  public record SeatView(String nodeId, String publicKey) {}

  /**
   * 201: the session {@code session} (what the routes name) opened; the prover starts with a commitment under
   * {@code parameterSet} for {@code protocolSession} (what its frames carry: the session's id on its first ring).
   */
  public record ProofSession(String session, String protocolSession, String pseudonym, int parameterSet,
      String parameterSetName, List<SeatView> ring, int rounds, int maxAttempts) {

    static ProofSession of(String session, IdentityContract.Opened opened) {
      return new ProofSession(session, opened.session(), opened.pseudonym(), opened.parameterSet(),
          IdentificationParameters.byId(opened.parameterSet()).name(), seats(opened), opened.rounds(),
          opened.maxAttempts());
    }
  }

  static List<SeatView> seats(IdentityContract.Opened opened) {
    Base64.Encoder base64 = Base64.getEncoder();
    return opened.ring().stream().map(s -> new SeatView(s.nodeId(), base64.encodeToString(s.publicKey()))).toList();
  }

  /** The base64 of a canonical frame (a commitment or response of the session). */
  public record ProverMessage(String frame) {
    byte[] bytes() {
      if (frame == null) {
        throw new ApiException(ErrorCode.BAD_VALUE, "'frame' is required: the base64 of a commitment or response");
      }
      try {
        return Base64.getDecoder().decode(frame);
      } catch (IllegalArgumentException e) {
        throw new ApiException(ErrorCode.BAD_VALUE, "'frame' is not valid base64: " + e.getMessage());
      }
    }
  }

  /**
   * Event {@code index}: {@code type} {@code challenge} (with {@code frame}, the base64 of the ring's challenge),
   * {@code ring} (the ring lost a verifier and was re-formed: start again, on {@code ring}, under
   * {@code protocolSession}, with {@code rounds} and {@code maxAttempts}) or {@code finished} (with how:
   * {@code identified}, {@code code}, {@code detail}, {@code suspects} for {@code EQUIVOCATION}, and for
   * {@code IDENTIFIED} the {@code IdentityVerified} transaction's hash and block).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventView(int index, String type, String frame, String protocolSession, List<SeatView> ring,
      Integer rounds, Integer maxAttempts, Boolean identified, String code, String detail, List<String> suspects,
      String transactionHash, Long height) {

    static EventView of(PatientGateway.ProofEvent event) {
      IdentityContract.Finished f = event.finished();
      IdentityContract.Opened r = event.ring();
      if (r != null) {
        return new EventView(event.index(), "ring", null, r.session(), seats(r), r.rounds(), r.maxAttempts(), null,
            null, null, null, null, null);
      }
      return f == null
          ? new EventView(event.index(), "challenge", Base64.getEncoder().encodeToString(event.challenge()), null,
              null, null, null, null, null, null, null, null, null)
          : new EventView(event.index(), "finished", null, null, null, null, null, f.identified(), f.code(), f.detail(),
              f.suspects().isEmpty() ? null : f.suspects(), f.transactionHash(), f.identified() ? f.height() : null);
    }
  }

  /** The session's events after the cursor, in order; {@code finished} once the last one is its outcome. */
  public record ProofEventsView(String session, boolean finished, List<EventView> events) {}

  /** 201: a bearer token for the patient's own views, until {@code expiresAtMillis}. */
  public record IssuedToken(String token, String tokenType, String pseudonym, String issuer, long expiresAtMillis,
      String evidence) {

    static IssuedToken of(IdentityTokens.Issued issued) {
      return new IssuedToken(issued.token(), "Bearer", issued.claims().pseudonym(), issued.claims().issuer(),
          issued.claims().expiresAtMillis(), issued.claims().evidence());
    }
  }

  private final NodeAsks asks;
  private final Duration maxPollWait;

  ProofRoutes(NodeAsks asks, Duration maxPollWait) {
    this.asks = asks;
    this.maxPollWait = maxPollWait;
  }

  public Route routes(Caller caller) {
    return concat(
        OPEN.route(PathMatchers.segment(), pseudonym -> thePatient(caller, pseudonym, () -> noFields(() -> open(pseudonym)))),
        MESSAGES.route(PathMatchers.segment(), PathMatchers.segment(), (pseudonym, session) ->
            thePatient(caller, pseudonym, () -> entity(ApiJson.unmarshaller(ProverMessage.class),
                message -> relay(pseudonym, session, message.bytes())))),
        EVENTS.route(PathMatchers.segment(), PathMatchers.segment(), (pseudonym, session) ->
            thePatient(caller, pseudonym, () -> parameterOptional("after", after -> parameterOptional("wait", wait ->
                events(pseudonym, session, (int) QueryParameters.integer("after", after, -1, Integer.MAX_VALUE, -1),
                    Duration.ofSeconds(QueryParameters.integer("wait", wait, 0, maxPollWait.toSeconds(),
                        maxPollWait.toSeconds()))))))),
        TOKEN.route(PathMatchers.segment(), PathMatchers.segment(), (pseudonym, session) ->
            thePatient(caller, pseudonym, () -> noFields(() -> token(caller, pseudonym, session)))));
  }

  /** A patient's proofs are its own: the caller must be that patient's identity. */
  private static Route thePatient(Caller caller, String pseudonym, Supplier<Route> inner) {
    if (caller.role() != Role.PATIENT || !caller.identityId().equals(pseudonym)) {
      throw new ApiException(ErrorCode.NOT_THE_PATIENT, "only patient '" + pseudonym + "' itself proves its identity,"
          + " not " + caller.role() + " '" + caller.identityId() + "'");
    }
    return inner.get();
  }

  /** {@code inner} for a request whose body is empty or an object without fields; any field is {@code UNKNOWN_FIELD}. */
  static Route noFields(Supplier<Route> inner) {
    return extractRequestEntity(body -> body.isKnownEmpty()
        ? inner.get()
        : entity(ApiJson.unmarshaller(NoFields.class), none -> inner.get()));
  }

  private Route open(String pseudonym) {
    return onSuccess(asks.<ShardingEnvelope<PatientGateway.Command>, PatientGateway.ProofOpening>ask(
            asks.node().gateways(), replyTo -> new ShardingEnvelope<>(pseudonym, new PatientGateway.OpenProof(replyTo)),
            asks.timeout().multipliedBy(3)),
        opening -> {
          if (opening.opened() != null) {
            return complete(StatusCodes.CREATED, ProofSession.of(opening.session(), opening.opened()),
                ApiJson.marshaller());
          }
          ErrorCode code = codeOf(opening.code());
          String detail = opening.code() + ": " + opening.detail();
          return code == ErrorCode.RING_BUSY
              ? complete(ApiErrors.response(code, detail).addHeader(RetryAfter.create(RETRY_AFTER_SECONDS)))
              : complete(ApiErrors.response(code, detail));
        });
  }

  private Route relay(String pseudonym, String session, byte[] frame) {
    return onSuccess(asks.<ShardingEnvelope<PatientGateway.Command>, PatientGateway.ProofAnswer>ask(
            asks.node().gateways(), replyTo -> new ShardingEnvelope<>(pseudonym,
                new PatientGateway.ProofFrame(session, frame, replyTo))),
        answer -> answer.code() == null ? complete(StatusCodes.NO_CONTENT) : refused(answer));
  }

  private Route events(String pseudonym, String session, int after, Duration wait) {
    return onSuccess(asks.<ShardingEnvelope<PatientGateway.Command>, PatientGateway.ProofEvents>ask(
            asks.node().gateways(), replyTo -> new ShardingEnvelope<>(pseudonym,
                new PatientGateway.GetProofEvents(session, after, wait.toMillis(), replyTo)),
            wait.plus(asks.timeout())),
        events -> {
          if (events.code() != null) {
            return complete(ApiErrors.response(codeOf(events.code()), events.detail()));
          }
          List<EventView> views = events.events().stream().map(EventView::of).toList();
          boolean finished = !views.isEmpty() && views.get(views.size() - 1).type().equals("finished");
          return complete(StatusCodes.OK, new ProofEventsView(session, finished, views), ApiJson.marshaller());
        });
  }

  private Route token(Caller caller, String pseudonym, String session) {
    return onSuccess(asks.<ShardingEnvelope<PatientGateway.Command>, PatientGateway.ProofAnswer>ask(
            asks.node().gateways(), replyTo -> new ShardingEnvelope<>(pseudonym,
                new PatientGateway.ClaimProofToken(session, replyTo))),
        answer -> answer.code() != null ? refused(answer)
            : complete(StatusCodes.CREATED, IssuedToken.of(asks.node().tokens().issue(pseudonym, caller.organisation(),
                "ring:" + answer.finished().transactionHash())), ApiJson.marshaller()));
  }

  private static Route refused(PatientGateway.ProofAnswer answer) {
    return complete(ApiErrors.response(codeOf(answer.code()), answer.detail()));
  }

  /** The API's code for a gateway's or contract's code; one the API does not name is the cluster's trouble. */
  static ErrorCode codeOf(String code) {
    try {
      return ErrorCode.valueOf(code);
    } catch (IllegalArgumentException notAnApiCode) {
      return ErrorCode.UNAVAILABLE;
    }
  }
}
