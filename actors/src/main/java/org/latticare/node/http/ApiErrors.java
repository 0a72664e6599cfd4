package org.latticare.node.http;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MalformedRequestContentRejection;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.RequestEntityExpectedRejection;
import akka.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import akka.http.javadsl.server.ValidationRejection;
import akka.http.scaladsl.model.EntityStreamSizeException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.slf4j.Logger;

/**
 * The one place that turns whatever went wrong into an {@link ApiError} response: the rejection
 * handler (routing and body refusals), the exception handler (failed asks, {@link ApiException},
 * bugs) and {@link #response}, which the parser's error handler ({@link ParsingErrorsAsJson}) uses too.
 */
public final class ApiErrors {

  private ApiErrors() {}

  public static HttpResponse response(ErrorCode code, String message) {
    return response(code.status(), ApiError.of(code, message));
  }

  public static HttpResponse response(StatusCode status, ApiError error) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ApiJson.MAPPER.writeValueAsBytes(error)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ApiError is always serializable", e);
    }
  }

  /** Refusals by the routing and by the body's unmarshalling; anything else Akka refuses keeps its status. */
  public static RejectionHandler rejectionHandler() {
    RejectionHandler named = RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class,
            rejection -> Directives.complete(bodyRefused(rejection.getCause())))
        .handle(RequestEntityExpectedRejection.class,
            rejection -> Directives.complete(response(ErrorCode.MALFORMED_JSON, "a JSON body is required")))
        .handle(UnsupportedRequestContentTypeRejection.class,
            rejection -> Directives.complete(response(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "the body must be application/json")))
        .handle(ValidationRejection.class,
            rejection -> Directives.complete(response(ErrorCode.BAD_VALUE, rejection.message())))
        .handleAll(MethodRejection.class, rejections -> {
          HttpMethod[] allowed = rejections.stream().map(MethodRejection::supported).toArray(HttpMethod[]::new);
          return Directives.respondWithHeader(Allow.create(allowed), () -> Directives.complete(response(
              ErrorCode.METHOD_NOT_ALLOWED, "this path accepts "
                  + rejections.stream().map(r -> r.supported().name()).collect(Collectors.joining(", ")))));
        })
        .handleNotFound(Directives.extractRequest(request -> Directives.complete(response(ErrorCode.NOT_FOUND,
            "no such resource: " + request.method().name() + " " + request.getUri().path()))))
        .build();
    return named.withFallback(RejectionHandler.defaultHandler()).mapRejectionResponse(ApiErrors::asApiError);
  }

  public static ExceptionHandler exceptionHandler(Logger log) {
    return ExceptionHandler.newBuilder()
        .matchAny(failure -> Directives.complete(fromFailure(failure, log)))
        .build();
  }

  /** What a failed route or ask is answered with; a bug is logged with its stack trace and answered 500. */
  static HttpResponse fromFailure(Throwable failure, Logger log) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException api) {
      return api.response();
    }
    if (find(cause, EntityStreamSizeException.class) != null) {
      return bodyRefused(cause);
    }
    if (cause instanceof TimeoutException) {
      return response(ErrorCode.UNAVAILABLE, "the cluster did not answer in time: " + cause.getMessage());
    }
    log.error("request failed", cause);
    return response(ErrorCode.INTERNAL, "internal error: " + cause.getClass().getSimpleName());
  }

  /** Why a body could not be read as the request's record. */
  static HttpResponse bodyRefused(Throwable failure) {
    EntityStreamSizeException tooLarge = find(failure, EntityStreamSizeException.class);
    if (tooLarge != null) {
      return response(ErrorCode.BODY_TOO_LARGE, "the body is larger than " + tooLarge.limit() + " bytes");
    }
    UnrecognizedPropertyException unknown = find(failure, UnrecognizedPropertyException.class);
    if (unknown != null) {
      Class<?> type = unknown.getReferringClass();
      // Jackson lists no known properties for a record built through its constructor: name its components.
      List<String> allowed = type != null && type.isRecord()
          ? Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted().toList()
          : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return response(ErrorCode.UNKNOWN_FIELD, "unknown field '" + unknown.getPropertyName() + "'; allowed: " + allowed);
    }
    StreamReadException syntax = find(failure, StreamReadException.class);
    if (syntax != null) {
      return response(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + syntax.getOriginalMessage());
    }
    ValueInstantiationException invalid = find(failure, ValueInstantiationException.class);
    if (invalid != null && invalid.getCause() != null) {
      return response(ErrorCode.BAD_VALUE, invalid.getCause().getMessage());
    }
    JsonMappingException mapping = find(failure, JsonMappingException.class);
    if (mapping != null && mapping.getOriginalMessage().startsWith("No content to map")) {
      return response(ErrorCode.MALFORMED_JSON, "a JSON body is required");
    }
    if (mapping != null) {
      return response(ErrorCode.BAD_VALUE, mapping.getPath().isEmpty()
          ? "the body must be a JSON object"
          : "field '" + mapping.getPath().stream().map(JsonMappingException.Reference::getFieldName)
              .filter(Objects::nonNull).collect(Collectors.joining(".")) + "' has the wrong type or is null");
    }
    return response(ErrorCode.MALFORMED_JSON, "the body could not be read: " + unwrap(failure).getMessage());
  }

  /** A plain-text answer of Akka's default rejection handler, with its status kept and its text as the message. */
  private static HttpResponse asApiError(HttpResponse response) {
    if (response.entity() instanceof HttpEntity.Strict strict
        && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return response(response.status(), ApiError.of(ErrorCode.forStatus(response.status().intValue()),
          strict.getData().utf8String())).withHeaders(response.getHeaders());
    }
    return response;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The innermost cause, for a message that names what actually failed. */
  static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }
}
