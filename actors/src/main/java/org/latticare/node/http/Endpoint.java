package org.latticare.node.http;

import java.util.function.Function;
import java.util.function.Supplier;

import akka.http.javadsl.model.HttpMethod;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.PathMatcher1;
import akka.http.javadsl.server.PathMatcher2;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;

/**
 * One operation of the API as {@code openapi.json} names it: a method and a path template such as
 * {@code /api/chain/blocks/{height}}. A routes class declares its endpoints as constants and builds
 * each route from the constant ({@link #route(Supplier)}), so the path it serves and the path it
 * declares are one string and cannot drift apart.
 */
public record Endpoint(String method, String path) {

  public Endpoint {
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/' and does not end with one: " + path);
    }
    if (HttpMethods.lookup(method).isEmpty()) {
      throw new IllegalArgumentException("unknown HTTP method " + method);
    }
  }

  public static Endpoint get(String path) {
    return new Endpoint("GET", path);
  }

  public static Endpoint post(String path) {
    return new Endpoint("POST", path);
  }

  public static Endpoint put(String path) {
    return new Endpoint("PUT", path);
  }

  /** Whether a request with this method and path is this endpoint: each {@code {parameter}} matches one non-empty segment. */
  public boolean matches(String requestMethod, String requestPath) {
    if (!method.equals(requestMethod)) {
      return false;
    }
    String[] template = path.split("/", -1);
    String[] actual = requestPath.split("/", -1);
    if (template.length != actual.length) {
      return false;
    }
    for (int i = 0; i < template.length; i++) {
      boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
      if (parameter ? actual[i].isEmpty() : !template[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  /** The route for a template without parameters: this exact path and method. */
  public Route route(Supplier<Route> inner) {
    requireParameters(0);
    return Directives.path(PathMatchers.separateOnSlashes(path.substring(1)),
        () -> Directives.method(httpMethod(), inner));
  }

  /** The route for a template with one {@code {parameter}}, matched by {@code parameter}. */
  public <T> Route route(PathMatcher1<T> parameter, Function<T, Route> inner) {
    requireParameters(1);
    int open = path.indexOf('{');
    int close = path.indexOf('}');
    PathMatcher1<T> matcher = PathMatchers.separateOnSlashes(path.substring(1, open - 1)).slash(parameter);
    String after = path.substring(close + 1);
    if (!after.isEmpty()) {
      matcher = matcher.slash(PathMatchers.separateOnSlashes(after.substring(1)));
    }
    return Directives.path(matcher, value -> Directives.method(httpMethod(), () -> inner.apply(value)));
  }

  /** The route for a template with two {@code {parameters}}, e.g. {@code /api/records/{recordId}/chunks/{index}}. */
  public Route route(PathMatcher1<String> first, PathMatcher1<String> second,
      java.util.function.BiFunction<String, String, Route> inner) {
    requireParameters(2);
    int open = path.indexOf('{');
    int close = path.indexOf('}');
    int open2 = path.indexOf('{', close);
    int close2 = path.indexOf('}', open2);
    PathMatcher2<String, String> matcher = PathMatchers.separateOnSlashes(path.substring(1, open - 1)).slash(first)
        .slash(PathMatchers.separateOnSlashes(path.substring(close + 2, open2 - 1))).slash(second);
    String after = path.substring(close2 + 1);
    if (!after.isEmpty()) {
      matcher = matcher.slash(PathMatchers.separateOnSlashes(after.substring(1)));
    }
    return Directives.path(matcher, (a, b) -> Directives.method(httpMethod(), () -> inner.apply(a, b)));
  }

  private HttpMethod httpMethod() {
    return HttpMethods.lookup(method).orElseThrow();
  }

  private void requireParameters(int count) {
    long found = path.chars().filter(c -> c == '{').count();
    if (found != count) {
      throw new IllegalStateException(path + " has " + found + " path parameters; this route binds " + count);
    }
  }
}
