package org.latticare.node.http.auth;

/**
 * Why a request was not authenticated, with a {@link Code} that clients may rely on: the HTTP
 * front answers it as {@code {"code": "<name>", "message": …}}.
 */
public record AuthFailure(Code code, String message) implements Verdict, RequestVerifier.Screening,
    IdentityTokens.TokenCheck {

  /** Stable names: they are part of the API. */
  public enum Code {
    /** No {@code Signature} or {@code Signature-Input}. */
    UNSIGNED,
    /** Headers that do not parse, components not all covered, parameters missing, or another algorithm. */
    MALFORMED_SIGNATURE,
    /** {@code created} outside the window around the server's clock. */
    STALE,
    /** The (keyid, nonce) pair was already accepted within the window. */
    REPLAYED,
    /** {@code Content-Digest} missing or not matching the body. */
    DIGEST_MISMATCH,
    /** The keyid is not an enrolled identity. */
    UNKNOWN_KEY,
    /** The ML-DSA-65 signature does not verify under the identity's key. */
    BAD_SIGNATURE,
    /** The replay cache is full of live entries: try again shortly (503, not 401). */
    BUSY,
    /** A bearer token that does not parse, is not signed by a consortium member's node key, or claims too much. */
    TOKEN_INVALID,
    /** A bearer token past its expiry: prove the identity again. */
    TOKEN_EXPIRED,
    /** A valid bearer token used for anything but its patient's own views (403, not 401: who it is was proven). */
    TOKEN_NOT_ALLOWED
  }

  /**
   * 401, except {@link Code#BUSY} (503: a full cache is the server's trouble, not the client's credentials)
   * and {@link Code#TOKEN_NOT_ALLOWED} (403: the token proved who asks, who may not do this).
   */
  public int httpStatus() {
    return switch (code) {
      case BUSY -> 503;
      case TOKEN_NOT_ALLOWED -> 403;
      default -> 401;
    };
  }

  static AuthFailure of(Code code, String message) {
    return new AuthFailure(code, message);
  }
}
