package org.latticare.node.http;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;

/**
 * The stable codes of the API's own errors, each with the status it is answered with. Clients match on
 * the name: never rename one. A refused transaction is answered with the ledger's
 * {@link org.latticare.ledger.rules.Rejection.Code} name instead, and a submission whose outcome is
 * open with {@link org.latticare.node.chain.SubmitResult#BUSY} or
 * {@link org.latticare.node.chain.SubmitResult#UNKNOWN_OUTCOME}.
 */
public enum ErrorCode {
  /** The body is not JSON (or is empty where one is needed). */
  MALFORMED_JSON(StatusCodes.BAD_REQUEST),
  /** The body has a field the request type does not know; nothing is silently ignored. */
  UNKNOWN_FIELD(StatusCodes.BAD_REQUEST),
  /** A field or path parameter is missing, of the wrong type or out of range. */
  BAD_VALUE(StatusCodes.BAD_REQUEST),
  /** The request has not proven who sent it (used by the authenticator). */
  UNAUTHENTICATED(StatusCodes.UNAUTHORIZED),
  /** The caller's role may not do this (used by per-role authorization). */
  FORBIDDEN(StatusCodes.FORBIDDEN),
  /** A submitted transaction's submitter is not the identity that signed the request. */
  NOT_THE_SUBMITTER(StatusCodes.FORBIDDEN),
  /** No such path, block, transaction. */
  NOT_FOUND(StatusCodes.NOT_FOUND),
  /** The path exists with other methods. */
  METHOD_NOT_ALLOWED(StatusCodes.METHOD_NOT_ALLOWED),
  /** This node does not hold the role the request needs (a ring ping on a node without a verifier). */
  WRONG_NODE(StatusCodes.CONFLICT),
  /** The body is larger than {@code latticare.http.max-body}. */
  BODY_TOO_LARGE(StatusCodes.PAYLOAD_TOO_LARGE),
  /** The body is not {@code application/json}. */
  UNSUPPORTED_MEDIA_TYPE(StatusCodes.UNSUPPORTED_MEDIA_TYPE),
  /** An anchor names a record this node's store does not hold with that digest and size. */
  RECORD_NOT_STORED(StatusCodes.CONFLICT),
  /** An upload of a record id that is already stored. */
  RECORD_EXISTS(StatusCodes.CONFLICT),
  /** The record was erased: its id can never hold a record again. */
  RECORD_ERASED(StatusCodes.GONE),
  /** A chunk out of order, an upload that is not open on this node, or chunks missing at its end. */
  UPLOAD_OUT_OF_ORDER(StatusCodes.CONFLICT),
  /** An upload's chunk or end sent by another identity than the one that began it. */
  NOT_THE_UPLOADER(StatusCodes.FORBIDDEN),
  /** A record is uploaded without the key envelope of its patient. */
  MISSING_ENVELOPE(StatusCodes.BAD_REQUEST),
  /** The caller may read the record but holds no key envelope of it: nothing is logged, nothing sent. */
  NO_ENVELOPE(StatusCodes.FORBIDDEN),
  /** Fewer than a majority of the consortium's nodes stored the record (or envelope); nothing is anchored. */
  NOT_REPLICATED(StatusCodes.SERVICE_UNAVAILABLE),
  /** An envelope for that grantee is stored already, and the caller is neither the patient nor the grantee. */
  ENVELOPE_EXISTS(StatusCodes.CONFLICT),
  /** This node's copy of a record is not the one its anchor names: nothing is sent or logged. */
  RECORD_MISMATCH(StatusCodes.SERVICE_UNAVAILABLE),
  /** A proof session's route called by anyone but the patient itself (its own identity, role patient). */
  NOT_THE_PATIENT(StatusCodes.FORBIDDEN),
  /** The pseudonym is not an enrolled patient: there is no key to prove against. */
  NOT_ENROLLED(StatusCodes.NOT_FOUND),
  /** The patient was enrolled without an identity key for proofs. */
  NO_PROOF_KEY(StatusCodes.CONFLICT),
  /** Every verifier seat is taken: open a new session after {@code Retry-After}. */
  RING_BUSY(StatusCodes.SERVICE_UNAVAILABLE),
  /** Fewer than a majority of the consortium's verifiers are reachable. */
  NO_QUORUM(StatusCodes.SERVICE_UNAVAILABLE),
  /** The patient has as many proof sessions open as its gateway keeps. */
  TOO_MANY_SESSIONS(StatusCodes.TOO_MANY_REQUESTS),
  /** The patient's gateway keeps no such session (never opened, of another patient, or ended a while ago). */
  UNKNOWN_SESSION(StatusCodes.NOT_FOUND),
  /** A frame for a session that has ended. */
  SESSION_ENDED(StatusCodes.CONFLICT),
  /** A frame that is not a canonical commitment or response of that session. */
  BAD_FRAME(StatusCodes.BAD_REQUEST),
  /** A token asked for a session that has not ended yet. */
  NOT_FINISHED(StatusCodes.CONFLICT),
  /** A token asked for a session that did not end identified. */
  NOT_IDENTIFIED(StatusCodes.FORBIDDEN),
  /** A session's token is issued once. */
  TOKEN_ALREADY_ISSUED(StatusCodes.CONFLICT),
  /** A login nonce this front did not issue (malformed, altered, another front's, or from before a restart). */
  NONCE_INVALID(StatusCodes.UNAUTHORIZED),
  /** A login nonce past its expiry. */
  NONCE_EXPIRED(StatusCodes.UNAUTHORIZED),
  /** A login nonce already spent: the proof is a replay, or the nonce was used for another. */
  NONCE_USED(StatusCodes.UNAUTHORIZED),
  /** A non-interactive proof that does not verify against the patient's enrolled key over that nonce. */
  PROOF_INVALID(StatusCodes.UNAUTHORIZED),
  /** The front remembers as many spent login nonces as it may: retry shortly. */
  BUSY(StatusCodes.SERVICE_UNAVAILABLE),
  /** The cluster could not answer in time; retrying later may work. */
  UNAVAILABLE(StatusCodes.SERVICE_UNAVAILABLE),
  /** A bug: logged with its stack trace on the node. */
  INTERNAL(StatusCodes.INTERNAL_SERVER_ERROR);

  private final StatusCode status;

  ErrorCode(StatusCode status) {
    this.status = status;
  }

  public StatusCode status() {
    return status;
  }

  /**
   * The code for a status produced by Akka itself (its parser or a rejection this API does not
   * name): the statuses above map back to their code, other client errors count as a bad value.
   */
  public static ErrorCode forStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.status.intValue() == status && code != MALFORMED_JSON && code != UNKNOWN_FIELD) {
        return code;
      }
    }
    return status >= 500 ? INTERNAL : BAD_VALUE;
  }
}
