package org.latticare.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.latticare.node.EmbeddedConsortium;
import org.latticare.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latticare up}: the embedded default, a whole consortium in this JVM. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run a whole consortium in one JVM (each node its own ActorSystem on loopback) with the"
        + " HTTP API on the first node. Ctrl-C stops it; running it again on the same data directory resumes the chain.")
final class UpCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--interface", defaultValue = "127.0.0.1", description = "HTTP interface (default: ${DEFAULT-VALUE})")
  String httpInterface;

  @Option(names = "--data-dir", defaultValue = "data", description = "Data directory (default: ./${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--nodes", defaultValue = "3", description = "Nodes in the consortium, 1 to 7 (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--artery-transport", defaultValue = "${env:LATTICARE_ARTERY_TRANSPORT:-tls-tcp}",
      description = "tls-tcp (TLS between the nodes, the default) or tcp (env LATTICARE_ARTERY_TRANSPORT)")
  String transport;

  @Override
  public Integer call() {
    if (!transport.equals("tcp") && !transport.equals("tls-tcp")) {
      System.err.println("--artery-transport must be tcp or tls-tcp");
      return 2;
    }
    if (nodes < 1 || nodes > 7) {
      System.err.println("--nodes must be from 1 to 7");
      return 2;
    }
    if (port < 0 || port > 65535) {
      System.err.println("--port must be from 0 to 65535");
      return 2;
    }
    long start = System.nanoTime();
    EmbeddedConsortium consortium;
    try {
      consortium = EmbeddedConsortium.start(nodes, dataDir, httpInterface, port,
          Map.of("akka.remote.artery.transport", transport), Duration.ofSeconds(60));
    } catch (Node.StartupException e) {
      System.err.println("latticare: " + e.getMessage());
      return 1;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    int boundPort = consortium.front().binding().orElseThrow().localAddress().getPort();
    System.out.printf("Latticare consortium of %d nodes is up in %d ms: http://localhost:%d/health"
        + " (data in %s). Ctrl-C stops it.%n", nodes, millis, boundPort, dataDir.toAbsolutePath());
    GracefulStop.onSignal(() -> {
      System.out.println("Stopping: each node leaves the cluster in turn, the front last.");
      consortium.close();
    });
    consortium.front().system().getWhenTerminated().toCompletableFuture().join();
    consortium.close();
    return 0;
  }
}
