package org.latticare.cluster.tls;

/** A node's TLS material is missing or wrong; {@link #problem()} is a stable code, the message says what to do. */
public final class TlsException extends RuntimeException {

  /** What is wrong, as a stable code for logs and scripts. */
  public enum Problem {
    /** None of the configured files exists and no development CA may create them. */
    TLS_MISSING,
    /** Some of the key store, trust store and password file exist, not all. */
    TLS_INCOMPLETE,
    /** A file cannot be read, or the password does not open it. */
    TLS_UNREADABLE,
    /** The key store holds no key, or more than one. */
    TLS_KEY_STORE,
    /** The trust store holds anything but exactly one CA certificate. */
    TLS_TRUST_STORE,
    /** The node's certificate is not signed by the CA in the trust store. */
    TLS_FOREIGN_CA,
    /** A certificate is expired or not yet valid. */
    TLS_EXPIRED,
    /** Output that would overwrite existing material. */
    TLS_EXISTS
  }

  private final Problem problem;

  public TlsException(Problem problem, String message, Throwable cause) {
    super(problem + ": " + message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
