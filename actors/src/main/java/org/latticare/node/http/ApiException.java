package org.latticare.node.http;

import akka.http.javadsl.model.HttpResponse;
import org.latticare.ledger.rules.Rejection;

/** Thrown by a route to answer with an {@link ApiError}; the front's exception handler turns it into the response. */
public final class ApiException extends RuntimeException {

  private final HttpResponse response;

  public ApiException(ErrorCode code, String message) {
    super(message);
    this.response = ApiErrors.response(code, message);
  }

  private ApiException(Rejection rejection) {
    super(rejection.detail());
    this.response = ApiErrors.response(ErrorCode.FORBIDDEN.status(), new ApiError(rejection.code().name(),
        rejection.detail(), null));
  }

  /** 403 with the access decision's own code ({@code NO_ACCESS}, {@code ROLE_NOT_ALLOWED}, …). */
  public static ApiException forbidden(Rejection rejection) {
    return new ApiException(rejection);
  }

  public HttpResponse response() {
    return response;
  }
}
