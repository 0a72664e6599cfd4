package org.latticare.node.http.auth;

import java.util.function.Function;

import akka.http.javadsl.server.Route;

/**
 * Wraps routes that need a signed request: {@code inner} runs with the proven {@link Caller}; any
 * other request is answered 401 with {@code {"code", "message"}} and reaches nothing.
 */
public interface Authenticator {

  Route authenticated(Function<Caller, Route> inner);
}
