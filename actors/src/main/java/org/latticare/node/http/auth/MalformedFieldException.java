package org.latticare.node.http.auth;

/** A header that is not the RFC 8941 structured field it must be. */
public final class MalformedFieldException extends IllegalArgumentException {

  public MalformedFieldException(String message) {
    super(message);
  }
}
