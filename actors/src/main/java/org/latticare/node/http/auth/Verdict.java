package org.latticare.node.http.auth;

/** The end of verifying a request: {@link Accepted} with the proven key id, or an {@link AuthFailure}. */
public sealed interface Verdict permits Verdict.Accepted, AuthFailure {

  /** The signature verified and its nonce is now spent; {@code keyId} is the enrolled identity's id. */
  record Accepted(String keyId) implements Verdict {}
}
