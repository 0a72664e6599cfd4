package org.latticare.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import org.latticare.cluster.LatticareConfig;
import org.latticare.cluster.tls.TlsSettings;
import org.latticare.ledger.Block;

/**
 * The embedded default: a whole consortium in one JVM, each node its own ActorSystem on loopback with
 * its own data directory ({@code <data-dir>/node-<i>}, with its signing key), joined into one Akka
 * Cluster over TLS, all founded by {@code <data-dir>/consortium/genesis.block}. The first node also has the role
 * {@code front} and serves the HTTP API.
 */
public final class EmbeddedConsortium implements AutoCloseable {

  private final List<Node> nodes;

  private EmbeddedConsortium(List<Node> nodes) {
    this.nodes = nodes;
  }

  public static String nodeId(int index) {
    return "node-" + (index + 1);
  }

  /**
   * Starts {@code size} nodes, joins them to the first, and waits until all are Up.
   *
   * @param httpPort port of the first node's HTTP API; negative for none (0 picks a free port)
   */
  public static EmbeddedConsortium start(int size, Path dataDir, String httpInterface, int httpPort,
      Map<String, Object> extraConfig, Duration upWithin) {
    Path genesisFile = prepare(size, dataDir);
    List<Node> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        Map<String, Object> overrides = new HashMap<>();
        // Artery over TLS between the nodes, with material from a development CA in <data-dir>/tls-ca created on
        // first start; it costs little on loopback (see the README's Performance section)
        overrides.put("akka.remote.artery.transport", TlsSettings.TLS_TRANSPORT);
        overrides.putAll(extraConfig);
        overrides.put("latticare.genesis-file", genesisFile.toString());
        overrides.put("latticare.node-id", nodeId(i));
        overrides.put("latticare.data-dir", dataDir.resolve(nodeId(i)).toString());
        overrides.put("latticare.expected-members", size);
        // close() stops the nodes one by one, the front last; all at once, the last ones wait for
        // leave confirmations from nodes that are already gone.
        overrides.put("akka.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        overrides.put("akka.cluster.roles", i == 0
            ? List.of(NodeSettings.ROLE_VERIFIER, NodeSettings.ROLE_PRODUCER, NodeSettings.ROLE_FRONT)
            : List.of(NodeSettings.ROLE_VERIFIER, NodeSettings.ROLE_PRODUCER));
        Node node = Node.start(LatticareConfig.load("local", overrides));
        nodes.add(node);
        node.join(nodes.get(0).address());
      }
      awaitAllUp(nodes, size, upWithin);
      if (httpPort >= 0) {
        nodes.get(0).serveHttp(httpInterface, httpPort);
      }
      return new EmbeddedConsortium(nodes);
    } catch (RuntimeException e) {
      nodes.forEach(node -> node.stop(Duration.ofSeconds(10)));
      throw e;
    }
  }

  /**
   * Client identities of the embedded consortium; their keys are in {@code <data-dir>/consortium/clients}.
   * Two hospitals have an admin, so that the consortium's quorum of member organisations (two of
   * three) can approve a consortium-level enrolment; {@code consultant} is a second hospital's
   * clinician, for grants across hospitals.
   */
  public static final List<ConsortiumFiles.Client> CLIENTS = List.of(
      new ConsortiumFiles.Client("admin", "hospital-admin", "hospital-1"),
      new ConsortiumFiles.Client("clinician", "clinician", "hospital-1"),
      new ConsortiumFiles.Client("privacy-officer", "privacy-officer", "hospital-1"),
      new ConsortiumFiles.Client("admin-2", "hospital-admin", "hospital-2"),
      new ConsortiumFiles.Client("consultant", "clinician", "hospital-2"),
      new ConsortiumFiles.Client("researcher", "researcher", "university-1"));

  public static Path clientKeys(Path dataDir) {
    return dataDir.resolve("consortium").resolve("clients");
  }

  /**
   * Founds the consortium on first start: a key per node and per client and the genesis block. Later
   * starts reuse them, and refuse a node count other than the one the directory was founded with.
   */
  public static Path prepare(int size, Path dataDir) {
    Path genesisFile = dataDir.resolve("consortium").resolve("genesis.block");
    if (Files.exists(genesisFile)) {
      int founded = ConsortiumFiles.founding(ConsortiumFiles.readGenesis(genesisFile)).members().size();
      if (founded != size) {
        throw new Node.StartupException(dataDir.toAbsolutePath() + " holds a consortium of " + founded
            + " nodes; start it with --nodes " + founded + " or choose another --data-dir", null);
      }
      return genesisFile;
    }
    List<ConsortiumFiles.Founder> founders = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      founders.add(new ConsortiumFiles.Founder("hospital-" + (i + 1), nodeId(i),
          List.of(NodeSettings.ROLE_VERIFIER, NodeSettings.ROLE_PRODUCER)));
    }
    Block genesis = ConsortiumFiles.found("latticare-embedded", founders, CLIENTS, dataDir, clientKeys(dataDir));
    ConsortiumFiles.writeGenesis(genesisFile, genesis);
    return genesisFile;
  }

  private static void awaitAllUp(List<Node> nodes, int size, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      boolean allUp = nodes.stream().allMatch(node -> {
        Cluster cluster = Cluster.get(node.system());
        long up = java.util.stream.StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        return up == size;
      });
      if (allUp) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Node.StartupException("interrupted while the consortium was forming", e);
      }
    }
    throw new Node.StartupException("the " + size + " nodes did not all become Up within " + within, null);
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node front() {
    return nodes.get(0);
  }

  /** Stops every node, the front last, so the API answers while the others leave. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop(Duration.ofSeconds(30));
    }
  }
}
