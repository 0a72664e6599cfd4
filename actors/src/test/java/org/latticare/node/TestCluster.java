package org.latticare.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.StreamSupport;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import org.latticare.cluster.LatticareConfig;
import org.latticare.ledger.Block;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.LatticareNode.NodeRefs;
import org.latticare.node.http.HttpFront;
import org.latticare.node.ring.VerifierNode;

/**
 * Several nodes in this JVM, each its own {@link ActorTestKit} (ActorSystem) on a loopback port with
 * its own LevelDB directory, running the real {@link LatticareNode} guardian, joined into one cluster.
 */
public final class TestCluster {

  /** A node leaving under load (sharding hand-off, the cluster's exit) can take longer than the testkit's 10 s. */
  private static final Duration SHUTDOWN = Duration.ofSeconds(30);

  public final List<ActorTestKit> kits = new ArrayList<>();
  public final List<NodeRefs> nodes = new ArrayList<>();
  public final Path dataDir;
  public final Block genesis;
  private final Map<String, Object> settings = new HashMap<>();
  private final List<ServerBinding> bindings = new ArrayList<>();

  private TestCluster(Path dataDir, Block genesis) {
    this.dataDir = dataDir;
    this.genesis = genesis;
  }

  /** Founds a consortium of {@code size} nodes (each a verifier and producer) with the embedded clients, then starts it. */
  public static TestCluster start(int size, List<List<String>> roles) {
    return start(size, roles, Map.of());
  }

  /** As {@link #start(int, List)}, every node also configured with {@code settings}. */
  public static TestCluster start(int size, List<List<String>> roles, Map<String, Object> settings) {
    try {
      Path dataDir = Files.createTempDirectory("latticare-cluster");
      List<ConsortiumFiles.Founder> founders = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        founders.add(new ConsortiumFiles.Founder("hospital-" + (i + 1), "node-" + (i + 1),
            List.of(NodeSettings.ROLE_VERIFIER, NodeSettings.ROLE_PRODUCER)));
      }
      Block genesis = ConsortiumFiles.found("test", founders, EmbeddedConsortium.CLIENTS, dataDir,
          EmbeddedConsortium.clientKeys(dataDir));
      TestCluster cluster = new TestCluster(dataDir, genesis);
      cluster.settings.putAll(settings);
      for (int i = 0; i < size; i++) {
        cluster.addNode("node-" + (i + 1), roles.get(i), size);
      }
      cluster.awaitMembersUp(size);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public NodeRefs addNode(String nodeId, List<String> roles, int expectedMembers) {
    try {
      Files.createDirectories(dataDir.resolve(nodeId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("latticare.node-id", nodeId);
    overrides.put("latticare.data-dir", dataDir.resolve(nodeId).toString());
    overrides.put("latticare.expected-members", expectedMembers);
    overrides.put("latticare.ring.pass-timeout", "2s");
    overrides.put("akka.cluster.roles", roles);
    overrides.put("akka.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    overrides.put("latticare.sync.interval", "500ms");
    overrides.put("latticare.producer.max-delay", "5ms");
    // small blocks, so that the specs see several blocks in flight at once
    overrides.put("latticare.producer.max-transactions", 8);
    overrides.putAll(settings);
    Config config = LatticareConfig.load("local", overrides);
    // as Node.start does: blocks the replica found were never committed leave its journal before it opens
    Node.dropBlocksNeverCommitted(NodeSettings.from(config), config);
    ActorTestKit kit = ActorTestKit.create(Node.SYSTEM_NAME, config);
    MlDsa65.KeyPair key = ConsortiumFiles.readKey(dataDir.resolve(nodeId).resolve("node.key"));
    var guardian = kit.spawn(LatticareNode.create(NodeSettings.from(kit.system().settings().config()), genesis, key),
        "node");
    TestProbe<NodeRefs> probe = kit.createTestProbe();
    guardian.tell(new LatticareNode.GetRefs(probe.getRef()));
    NodeRefs refs = probe.receiveMessage(Duration.ofSeconds(20)); // the guardian opens its stores first
    Cluster joining = Cluster.get(kit.system());
    ActorTestKit seed = kits.stream().filter(k -> k != null).findFirst().orElse(kit);
    joining.manager().tell(Join.create(Cluster.get(seed.system()).selfMember().address()));
    int index = Integer.parseInt(nodeId.substring("node-".length())) - 1;
    if (index < kits.size()) {
      kits.set(index, kit);
      nodes.set(index, refs);
    } else {
      kits.add(kit);
      nodes.add(refs);
    }
    return refs;
  }

  /** Stops node {@code index} gracefully: it leaves the cluster; its data directory stays. */
  public void stop(int index) {
    ActorTestKit.shutdown(kits.get(index).system(), SHUTDOWN, true);
    kits.set(index, null);
    nodes.set(index, null);
  }

  public List<ActorTestKit> running() {
    return kits.stream().filter(k -> k != null).toList();
  }

  /** A client of the consortium, signing with the key {@link ConsortiumFiles#found} wrote for it. */
  public MlDsa65.KeyPair clientKey(String identityId) {
    return ConsortiumFiles.readKey(EmbeddedConsortium.clientKeys(dataDir).resolve(identityId + ".key"));
  }

  /** The consortium's name, which approvals and verdicts sign. */
  public String genesisConsortium() {
    return ConsortiumFiles.founding(genesis).consortium();
  }

  public void awaitMembersUp(int count) {
    running().get(0).createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      for (ActorTestKit kit : running()) {
        long up = StreamSupport.stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertThat(up).as("members Up seen by %s", kit.system().address()).isEqualTo(count);
      }
      return null;
    });
  }

  /** Serves node {@code index}'s HTTP API on an ephemeral loopback port, requests signed for real, until {@link #shutdown}. */
  public URI serveHttp(int index) {
    try {
      ServerBinding binding = HttpFront.bind(kits.get(index).system(), nodes.get(index), "127.0.0.1", 0)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      bindings.add(binding);
      return URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("node " + index + "'s front did not bind", e);
    }
  }

  /** Waits until every running node's verifier sees a ring of {@code size} (the Receptionist's listing spreads by gossip). */
  public void awaitRing(int size) {
    running().get(0).createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      for (int i = 0; i < kits.size(); i++) {
        if (kits.get(i) == null || nodes.get(i).verifier().isEmpty()) {
          continue;
        }
        TestProbe<VerifierNode.RingView> probe = kits.get(i).createTestProbe();
        nodes.get(i).verifier().get().tell(new VerifierNode.GetRing(probe.getRef()));
        assertThat(probe.receiveMessage().members()).as("ring seen by node %d", i + 1).hasSize(size);
      }
      return null;
    });
  }

  public void shutdown() {
    bindings.forEach(ServerBinding::unbind);
    for (int i = kits.size() - 1; i >= 0; i--) {
      if (kits.get(i) != null) {
        ActorTestKit.shutdown(kits.get(i).system(), SHUTDOWN, true);
      }
    }
  }
}
