package org.latticare.node.http;

import java.util.function.Function;

import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.tx.Role;
import org.latticare.node.http.auth.Authenticator;
import org.latticare.node.http.auth.Caller;

/** Authenticators for tests: one that proves every request to be a given caller, one that refuses all. */
final class TestAuthenticator {

  static final Caller OPERATOR = new Caller("test-operator", Role.OPERATOR, "hospital-1");

  private TestAuthenticator() {}

  static Authenticator as(Caller caller) {
    return inner -> inner.apply(caller);
  }

  static Authenticator refusingAll() {
    return new Authenticator() {
      @Override
      public Route authenticated(Function<Caller, Route> inner) {
        return Directives.complete(ApiErrors.response(ErrorCode.UNAUTHENTICATED, "no signature"));
      }
    };
  }
}
