package org.latticare.node.http;

/** Thrown by a route to answer with an {@link ApiError}; the front's exception handler turns it into the response. */
public final class ApiException extends RuntimeException {

  private final ErrorCode code;

  public ApiException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
