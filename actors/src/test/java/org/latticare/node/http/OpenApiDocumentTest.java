package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.MethodRejection;
import akka.http.javadsl.server.Rejection;
import akka.http.javadsl.testkit.TestRouteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.node.TestCluster;
import org.opentest4j.AssertionFailedError;

/**
 * {@code openapi.json} against the routes: the operations it documents are exactly the endpoints the
 * routes classes declare, and the routing accepts each of them (with the document's example path
 * parameters) rather than rejecting it as an unknown path or method.
 */
class OpenApiDocumentTest extends JupiterRouteTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static TestCluster cluster;
  private static JsonNode document;

  @BeforeAll
  static void start() throws IOException {
    document = new ObjectMapper().readTree(OpenApiRoutes.read());
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
  }

  @AfterAll
  static void stop() {
    cluster.shutdown();
  }

  @Override
  protected akka.actor.typed.ActorSystem<?> typedSystem() {
    return cluster.kits.get(0).system();
  }

  private static Set<Endpoint> documented() {
    Set<Endpoint> endpoints = new HashSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (METHODS.contains(method)) {
        endpoints.add(new Endpoint(method.toUpperCase(Locale.ROOT), path.getKey()));
      }
    }));
    return endpoints;
  }

  @Test
  void theDocumentDescribesExactlyTheEndpointsTheRoutesDeclare() {
    assertThat(document.get("openapi").asText()).startsWith("3.0");
    assertThat(HttpFront.endpoints()).doesNotHaveDuplicates();
    assertThat(documented()).containsExactlyInAnyOrderElementsOf(HttpFront.endpoints());
  }

  @Test
  void everyDocumentedEndpointIsRoutedWithItsExampleParameters() {
    HttpFront front = new HttpFront(typedSystem(), cluster.nodes.get(0), TestAuthenticator.as(TestAuthenticator.OPERATOR));
    for (Endpoint endpoint : documented()) {
      JsonNode operation = document.get("paths").get(endpoint.path()).get(endpoint.method().toLowerCase(Locale.ROOT));
      String path = endpoint.path();
      for (JsonNode parameter : operation.path("parameters")) {
        assertThat(parameter.has("example")).as("example of %s in %s", parameter.get("name"), endpoint).isTrue();
        path = path.replace("{" + parameter.get("name").asText() + "}", parameter.get("example").asText());
      }
      assertThat(path).as("every path parameter of %s is documented", endpoint).doesNotContain("{");
      HttpRequest request = HttpRequest.create(path).withMethod(HttpMethods.lookup(endpoint.method()).orElseThrow())
          .withEntity(ContentTypes.APPLICATION_JSON, "{}");
      TestRouteResult result = runRouteUnSealed(
          handleExceptions(ApiErrors.exceptionHandler(typedSystem().log()), front::resources), request);
      Optional<List<Rejection>> rejected = rejections(result);
      if (rejected.isPresent()) {
        assertThat(rejected.get()).as("%s reaches a route (else 404)", endpoint).isNotEmpty();
        assertThat(rejected.get()).as("%s is not a wrong method (405)", endpoint)
            .noneMatch(MethodRejection.class::isInstance);
      }
    }
  }

  @Test
  void theErrorSchemaListsEveryCodeOfTheApi() {
    List<String> documented = new ArrayList<>();
    document.at("/components/schemas/ApiError/properties/code/enum").forEach(code -> documented.add(code.asText()));
    assertThat(documented).containsAll(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    assertThat(documented).as("a refused transaction carries the ledger's code")
        .containsAll(Arrays.stream(org.latticare.ledger.rules.Rejection.Code.values()).map(Enum::name).toList());
    assertThat(document.at("/components/securitySchemes/Signature/description").asText())
        .contains("RFC 9421", "RFC 9530", "ML-DSA-65", "@method", "@target-uri", "content-digest", "created", "nonce",
            "keyid");
  }

  /** Empty when the route completed the request; otherwise what the routing rejected it with (none: 404). */
  private static Optional<List<Rejection>> rejections(TestRouteResult result) {
    try {
      result.statusCode();
      return Optional.empty();
    } catch (AssertionFailedError rejected) {
      return Optional.of(result.rejections());
    }
  }
}
