package org.latticare.node.http;

import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import scala.concurrent.duration.FiniteDuration;
import org.latticare.ledger.Transaction;
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

  /**
   * Proves a request for a patient's views to be hospital-1's privacy officer, one that submits a transaction to be that transaction's submitter (the front lets
   * only the submitter submit it), and any other request to be {@link #OPERATOR}: for tests of what
   * the API does behind authentication, which is tested on its own with real signatures.
   */
  static Authenticator asEachSubmitter() {
    return inner -> Directives.extractUri(uri -> uri.path().startsWith("/api/patients/")
        ? inner.apply(PRIVACY_OFFICER)
        : Directives.extractStrictEntity(FiniteDuration.create(5, TimeUnit.SECONDS),
            entity -> inner.apply(submitterOf(entity.getData().toArray()))));
  }

  /** Sees the views of hospital-1's patients, where these tests enrol theirs. */
  static final Caller PRIVACY_OFFICER = new Caller("privacy-officer", Role.PRIVACY_OFFICER, "hospital-1");

  private static Caller submitterOf(byte[] body) {
    try {
      String transaction = ApiJson.MAPPER.readTree(body).path("transaction").asText("");
      String submitter = Transaction.decode(Base64.getDecoder().decode(transaction)).submitter();
      return new Caller(submitter, Role.OPERATOR, "hospital-1");
    } catch (IOException | RuntimeException notATransaction) {
      return OPERATOR;
    }
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
