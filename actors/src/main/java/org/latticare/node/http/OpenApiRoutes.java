package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3 description of this API, open to anyone so that a
 * client can be generated before it has an identity. The document is a resource kept next to the
 * code; {@code OpenApiDocumentTest} checks it against every routes class's endpoints.
 */
public final class OpenApiRoutes {

  public static final String RESOURCE = "/openapi.json";
  static final Endpoint DOCUMENT = Endpoint.get("/api/openapi.json");
  public static final List<Endpoint> ENDPOINTS = List.of(DOCUMENT);

  private final HttpResponse document;

  OpenApiRoutes() {
    this.document = HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, read()));
  }

  public Route routes() {
    return DOCUMENT.route(() -> complete(document));
  }

  /** Read once at start-up: a node without its API description fails at once, not on the first request. */
  public static byte[] read() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
