package org.latticare.node.http;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Requests the HTTP parser refuses before any route sees them (a bad request line or header, a URI
 * or header too long) would otherwise be answered in plain text; {@link HttpFront#bind} names this
 * class as {@code akka.http.server.parsing.error-handler} so that they are {@link ApiError}s too.
 * Akka instantiates it by reflection: it needs a public no-argument constructor.
 */
public final class ParsingErrorsAsJson extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    log.debug("refused by the HTTP parser: {}", info.formatPretty());
    return ApiErrors.response(status, ApiError.of(ErrorCode.forStatus(status.intValue()), info.summary()));
  }
}
