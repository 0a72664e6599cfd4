package org.latticare.node.http.auth;

/**
 * Why a request was not authenticated, with a {@link Code} that clients may rely on: the HTTP
 * front answers it as {@code {"code": "<name>", "message": …}}.
 */
public record AuthFailure(Code code, String message) implements Verdict, RequestVerifier.Screening {

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
    BUSY
  }

  /** 401, except {@link Code#BUSY}: a full cache is the server's trouble, not the client's credentials. */
  public int httpStatus() {
    return code == Code.BUSY ? 503 : 401;
  }

  static AuthFailure of(Code code, String message) {
    return new AuthFailure(code, message);
  }
}
