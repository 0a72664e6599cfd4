package org.latticare.node.http;

import java.util.concurrent.TimeUnit;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.RouteResult;
import akka.http.javadsl.testkit.RouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.stream.Materializer;
import org.junit.jupiter.api.Assertions;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;

/**
 * Akka HTTP's Java route testkit under JUnit 5. The testkit's own {@code JUnitRouteTest} is built on
 * JUnit 4 rules ({@code ActorSystemResource}); its base {@link RouteTest} is not: it needs only the
 * actor system, a materializer and a way to fail, which this class takes from the test's (typed)
 * system and from Jupiter's {@link Assertions}.
 */
public abstract class JupiterRouteTest extends RouteTest {

  /** The system the route under test runs in; the test class owns its life cycle. */
  protected abstract akka.actor.typed.ActorSystem<?> typedSystem();

  @Override
  public ActorSystem system() {
    return Adapter.toClassic(typedSystem());
  }

  @Override
  public Materializer materializer() {
    return Materializer.matFromSystem(system());
  }

  /** A commit waits for a majority of replicas; the testkit's default of 3 s is too tight on a shared 2-core machine. */
  @Override
  public FiniteDuration awaitDuration() {
    return FiniteDuration.create(20, TimeUnit.SECONDS);
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
      @Override
      public void fail(String message) {
        Assertions.fail(message);
      }

      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message);
      }
    };
  }
}
