package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import org.latticare.node.http.auth.IdentityTokens;
import org.latticare.node.http.auth.LoginNonces;
import org.latticare.node.identity.EnrolledProofKeys;
import org.latticare.zkp.nizk.NonInteractiveProof;

/**
 * Logging in with a non-interactive proof of the patient's identity key, in two open requests (the proof is
 * the credential, so neither is signed): {@code POST /api/identity/nonces} issues a single-use nonce
 * ({@link LoginNonces}); {@code POST /api/identity/tokens} takes a {@link NonInteractiveProof} whose context is
 * {@link LoginNonces#context}(nonce, pseudonym), checks it against the patient's enrolled key and, if it holds
 * and the nonce is unspent, spends the nonce and answers a token ({@link IdentityTokens}) for the patient's own
 * views. A replayed proof finds its nonce spent ({@code NONCE_USED}); a proof is checked only on the front that
 * issued its nonce. Nothing is written to the chain: unlike a ring session, a login leaves no
 * {@code IdentityVerified}.
 */
public final class LoginRoutes {

  static final Endpoint NONCES = Endpoint.post("/api/identity/nonces");
  static final Endpoint TOKENS = Endpoint.post("/api/identity/tokens");
  public static final List<Endpoint> ENDPOINTS = List.of(NONCES, TOKENS);

  /** 201: a nonce to bind into a login proof, good on the front {@code issuer} until {@code expiresAtMillis}. */
  public record NonceIssued(String nonce, long expiresAtMillis, String issuer) {}

  /** A login: the patient, the nonce its proof binds, and the proof (base64 of its canonical encoding). */
  public record ProofLogin(String pseudonym, String nonce, String proof) {
    byte[] proofBytes() {
      if (pseudonym == null || pseudonym.isEmpty() || nonce == null || proof == null) {
        throw new ApiException(ErrorCode.BAD_VALUE, "'pseudonym', 'nonce' and 'proof' are required");
      }
      try {
        return Base64.getDecoder().decode(proof);
      } catch (IllegalArgumentException e) {
        throw new ApiException(ErrorCode.BAD_VALUE, "'proof' is not valid base64: " + e.getMessage());
      }
    }
  }

  private final NodeAsks asks;
  private final LoginNonces nonces;
  private final EnrolledProofKeys keys;
  private final Executor verification;

  LoginRoutes(NodeAsks asks, LoginNonces nonces, EnrolledProofKeys keys, Executor verification) {
    this.asks = asks;
    this.nonces = nonces;
    this.keys = keys;
    this.verification = verification;
  }

  public Route routes() {
    return concat(
        NONCES.route(() -> ProofRoutes.noFields(() -> {
          LoginNonces.Issued issued = nonces.issue();
          return complete(StatusCodes.CREATED, new NonceIssued(issued.nonce(), issued.expiresAtMillis(),
              asks.node().settings().nodeId()), ApiJson.marshaller());
        })),
        TOKENS.route(() -> entity(ApiJson.unmarshaller(ProofLogin.class), this::login)));
  }

  private Route login(ProofLogin login) {
    byte[] proof = login.proofBytes();
    refuseIf(nonces.check(login.nonce()));
    return onSuccess(verified(login, proof), enrolment -> {
      refuseIf(nonces.spend(login.nonce()));
      return complete(StatusCodes.CREATED, ProofRoutes.IssuedToken.of(asks.node().tokens().issue(login.pseudonym(),
          enrolment.organisation(), "nizk:" + login.nonce())), ApiJson.marshaller());
    });
  }

  /** The patient's enrolment, once the proof verified against its key (on the crypto pool: about 0.1 ms). */
  private CompletionStage<EnrolledProofKeys.Enrolment> verified(ProofLogin login, byte[] proof) {
    return keys.of(login.pseudonym()).thenCompose(enrolment -> {
      if (!enrolment.found()) {
        throw new ApiException(ProofRoutes.codeOf(enrolment.code()), enrolment.detail());
      }
      return CompletableFuture.supplyAsync(() -> {
        if (!NonInteractiveProof.verify(enrolment.key(), LoginNonces.context(login.nonce(), login.pseudonym()), proof)) {
          throw new ApiException(ErrorCode.PROOF_INVALID, "the proof does not verify against the identity key enrolled"
              + " for '" + login.pseudonym() + "' over this nonce");
        }
        return enrolment;
      }, verification);
    });
  }

  private static void refuseIf(Optional<LoginNonces.Problem> problem) {
    if (problem.isPresent()) {
      throw switch (problem.get()) {
        case INVALID -> new ApiException(ErrorCode.NONCE_INVALID, "the nonce was not issued by this front, or it"
            + " restarted since: ask it for another");
        case EXPIRED -> new ApiException(ErrorCode.NONCE_EXPIRED, "the nonce expired: ask for another");
        case USED -> new ApiException(ErrorCode.NONCE_USED, "the nonce was spent already: a proof is accepted once");
        case FULL -> new ApiException(ErrorCode.BUSY, "too many recent logins to remember; retry shortly");
      };
    }
  }
}
