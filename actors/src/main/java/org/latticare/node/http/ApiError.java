package org.latticare.node.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every error the API answers: a stable {@code code} clients match on and a {@code message} for
 * people. A refused or undecided transaction also names its {@code transactionHash}, so that a client
 * can look it up; other errors leave it out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String code, String message, String transactionHash) {

  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(code.name(), message, null);
  }
}
