package org.latticare.node.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a stop action on Ctrl-C (SIGINT) or SIGTERM before the JVM begins to exit.
 *
 * <p>A JVM shutdown hook is too late for a graceful leave: Artery's own hook aborts every remote
 * connection as soon as the JVM starts shutting down, so nodes could no longer tell each other that
 * they are leaving and would wait for the split-brain resolver instead. Handling the signal keeps the
 * transport alive until the nodes have left; a second signal exits at once.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is reached by reflection because javac
 * warns on every direct use of it and that warning cannot be suppressed. Where it is missing, the
 * JVM's default handling stays (the nodes then stop through their shutdown hooks, less gracefully).
 */
final class GracefulStop {

  private GracefulStop() {}

  static void onSignal(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable onSignal = () -> {
      if (!stopping.compareAndSet(false, true)) {
        Runtime.getRuntime().halt(130);
      }
      new Thread(() -> {
        stop.run();
        System.exit(0);
      }, "latticare-stop").start();
    };
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Constructor<?> newSignal = signalClass.getConstructor(String.class);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object handler = Proxy.newProxyInstance(GracefulStop.class.getClassLoader(), new Class<?>[] {handlerClass},
          (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              onSignal.run();
              return null;
            }
            return method.invoke(onSignal, args);
          });
      for (String name : new String[] {"INT", "TERM"}) {
        handle.invoke(null, newSignal.newInstance(name), handler);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      System.err.println("latticare: signals cannot be intercepted here (" + e + "); Ctrl-C stops less gracefully");
    }
  }
}
