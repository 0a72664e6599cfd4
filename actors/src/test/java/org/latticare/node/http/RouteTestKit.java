package org.latticare.node.http;

import akka.actor.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.RouteResult;
import akka.http.javadsl.testkit.RouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.stream.Materializer;
import akka.stream.SystemMaterializer;
import org.opentest4j.AssertionFailedError;
import scala.concurrent.Future;

/**
 * Akka HTTP's Java route testkit for JUnit 5. Its own {@code JUnitRouteTest} manages the actor system
 * with a JUnit 4 rule, so here the system is the test's (usually its {@code ActorTestKit}'s) and
 * failed assertions are JUnit 5's. Use {@code kit.testRoute(route).run(request)}.
 */
public final class RouteTestKit extends RouteTest {

  private final ActorSystem system;

  public RouteTestKit(akka.actor.typed.ActorSystem<?> system) {
    this.system = system.classicSystem();
  }

  @Override
  public ActorSystem system() {
    return system;
  }

  @Override
  public Materializer materializer() {
    return SystemMaterializer.get(system).materializer();
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system.dispatcher(), materializer()) {
      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        if (!java.util.Objects.equals(expected, actual)) {
          throw new AssertionFailedError(message + " for " + request, expected, actual);
        }
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        assertEquals((Object) expected, (Object) actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        if (!predicate) {
          throw new AssertionFailedError(message + " for " + request);
        }
      }

      @Override
      public void fail(String message) {
        throw new AssertionFailedError(message + " for " + request);
      }
    };
  }
}
