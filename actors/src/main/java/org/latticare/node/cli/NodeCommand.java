package org.latticare.node.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import akka.Done;
import akka.actor.Address;
import akka.actor.CoordinatedShutdown;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import org.latticare.cluster.LatticareConfig;
import org.latticare.cluster.tls.TlsSettings;
import org.latticare.node.LatticareNode;
import org.latticare.node.Node;
import org.latticare.node.NodeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latticare node}: one node of a multi-JVM cluster. Flags override the environment variables
 * that the configuration reads ({@code LATTICARE_NODE_ID}, {@code LATTICARE_HOST}, …).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one node of a cluster (profile 'cluster': seed nodes; 'kubernetes': Cluster Bootstrap).")
final class NodeCommand implements Callable<Integer> {

  /** The exit code that asks the launcher to start the node again on its data directory. */
  static final int EXIT_RESTART = 3;

  /** How long a stopping node may take before it halts (Akka's own phases time out well before). */
  static final Duration EXIT_WATCHDOG = Duration.ofSeconds(30);

  @Option(names = "--profile", defaultValue = "${env:LATTICARE_PROFILE:-cluster}",
      description = "cluster or kubernetes (default: ${DEFAULT-VALUE}, env LATTICARE_PROFILE)")
  String profile;

  @Option(names = "--node-id", description = "Node id (env LATTICARE_NODE_ID)")
  String nodeId;

  @Option(names = "--host", description = "Address other nodes reach this one at (env LATTICARE_HOST)")
  String host;

  @Option(names = "--remote-port", description = "Artery port (env LATTICARE_REMOTE_PORT, default 25520)")
  Integer remotePort;

  @Option(names = "--seed-nodes", split = ",", defaultValue = "${env:LATTICARE_SEED_NODES}",
      description = "Seed nodes host:port, comma-separated; the first one starts the cluster (env LATTICARE_SEED_NODES)")
  List<String> seedNodes;

  @Option(names = "--roles", split = ",", defaultValue = "${env:LATTICARE_ROLES:-verifier,producer,front}",
      description = "Roles among verifier, producer, front (default: ${DEFAULT-VALUE}, env LATTICARE_ROLES)")
  List<String> roles;

  @Option(names = "--http-port", description = "HTTP port on a front node (env LATTICARE_HTTP_PORT, default 8080)")
  Integer httpPort;

  @Option(names = "--data-dir", description = "Data directory (env LATTICARE_DATA_DIR, default data/<node-id>)")
  String dataDir;

  @Option(names = "--genesis-file", description = "The consortium's genesis block (env LATTICARE_GENESIS_FILE,"
      + " default <data-dir>/genesis.block)")
  String genesisFile;

  @Option(names = "--node-key-file", description = "This node's key (env LATTICARE_NODE_KEY_FILE, default <data-dir>/node.key)")
  String nodeKeyFile;

  @Option(names = "--expected-members", description = "Members Up before /health is 200 (env LATTICARE_EXPECTED_MEMBERS)")
  Integer expectedMembers;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    putIfSet(overrides, "latticare.node-id", nodeId);
    putIfSet(overrides, "akka.remote.artery.canonical.hostname", host);
    putIfSet(overrides, "akka.remote.artery.canonical.port", remotePort);
    putIfSet(overrides, "latticare.http.port", httpPort);
    putIfSet(overrides, "latticare.data-dir", dataDir);
    putIfSet(overrides, "latticare.expected-members", expectedMembers);
    putIfSet(overrides, "latticare.genesis-file", genesisFile);
    putIfSet(overrides, "latticare.node-key-file", nodeKeyFile);
    overrides.put("akka.cluster.roles", roles);

    List<Address> seeds;
    Node node;
    try {
      seeds = parseSeeds(seedNodes);
      node = Node.start(LatticareConfig.load(profile, overrides));
    } catch (Node.StartupException | IllegalArgumentException e) {
      System.err.println("latticare: " + e.getMessage());
      return 1;
    }
    if (profile.equals("kubernetes")) {
      AkkaManagement.get(node.system()).start();
      ClusterBootstrap.get(node.system()).start();
    } else {
      node.joinSeedNodes(seeds.isEmpty() ? List.of(node.address()) : seeds);
    }
    NodeSettings settings = node.refs().settings();
    if (settings.hasRole(NodeSettings.ROLE_FRONT)) {
      try {
        node.serveHttp(settings.httpInterface(), settings.httpPort());
      } catch (Node.StartupException e) {
        System.err.println("latticare: " + e.getMessage());
        node.close();
        return 1;
      }
      boolean https = TlsSettings.from(node.system().settings().config()).https().isPresent();
      System.out.printf("Node %s at %s serves %s://%s:%d/health%n", settings.nodeId(), node.address(),
          https ? "https" : "http", settings.httpInterface(), settings.httpPort());
    } else {
      System.out.printf("Node %s at %s started%n", settings.nodeId(), node.address());
    }
    armExitWatchdog(node);
    node.system().getWhenTerminated().toCompletableFuture().join();
    return exitCode(CoordinatedShutdown.get(node.system()).getShutdownReason());
  }

  /**
   * Once the node begins to stop, it exits within {@link #EXIT_WATCHDOG} whatever happens: a downed node whose
   * ActorSystem never finished terminating (seen once in CI: the terminate phase timed out after a 15 s SIGSTOP and
   * the JVM stayed up) would otherwise never exit with {@link #EXIT_RESTART}, and nothing would start it again. The
   * journal is synced per write, so halting is no worse than the kill -9 the cluster already survives.
   */
  private static void armExitWatchdog(Node node) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(node.system());
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "exit-watchdog", () -> {
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(EXIT_WATCHDOG.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        int code = exitCode(shutdown.getShutdownReason());
        System.err.printf("latticare: the node did not finish stopping within %d s; exiting with %d. Its threads:%n",
            EXIT_WATCHDOG.toSeconds(), code);
        // what kept it from stopping, for whoever reads the log
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          System.err.printf("  %s (%s)%n", thread.getName(), thread.getState());
          for (StackTraceElement frame : stack) {
            System.err.println("      at " + frame);
          }
        });
        System.err.flush();
        Runtime.getRuntime().halt(code);
      }, "exit-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  /**
   * {@link #EXIT_RESTART} when the cluster removed this node (downed by the split-brain resolver, or no seed
   * node answered in time), or its replica holds blocks never committed that its next start drops: its data is
   * intact and it should start again on it, which the launcher's loop and a Kubernetes pod's restart do. 0 when it was stopped on purpose (SIGTERM, Ctrl-C).
   */
  static int exitCode(Optional<CoordinatedShutdown.Reason> reason) {
    boolean removed = reason.filter(r -> r.equals(CoordinatedShutdown.clusterDowningReason())
        || r.equals(CoordinatedShutdown.clusterJoinUnsuccessfulReason())
        || r.equals(LatticareNode.ChainDiverged.INSTANCE)).isPresent();
    return removed ? EXIT_RESTART : 0;
  }

  private static void putIfSet(Map<String, Object> overrides, String key, Object value) {
    if (value != null) {
      overrides.put(key, value);
    }
  }

  static List<Address> parseSeeds(List<String> seeds) {
    List<Address> addresses = new ArrayList<>();
    if (seeds == null) {
      return addresses;
    }
    for (String seed : seeds) {
      if (seed.isBlank()) {
        continue;
      }
      int colon = seed.lastIndexOf(':');
      try {
        addresses.add(new Address("akka", Node.SYSTEM_NAME, seed.substring(0, colon).trim(),
            Integer.parseInt(seed.substring(colon + 1).trim())));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("seed node '" + seed + "' is not host:port", e);
      }
    }
    return addresses;
  }
}
