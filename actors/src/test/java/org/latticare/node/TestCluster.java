package org.latticare.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import org.latticare.cluster.LatticareConfig;
import org.latticare.node.LatticareNode.NodeRefs;

/**
 * Several nodes in this JVM, each its own {@link ActorTestKit} (ActorSystem) on a loopback port with
 * its own LevelDB directory, running the real {@link LatticareNode} guardian, joined into one cluster.
 */
public final class TestCluster {

  public final List<ActorTestKit> kits = new ArrayList<>();
  public final List<NodeRefs> nodes = new ArrayList<>();
  public final Path dataDir;

  private TestCluster(Path dataDir) {
    this.dataDir = dataDir;
  }

  public static TestCluster start(int size, List<List<String>> roles) {
    try {
      TestCluster cluster = new TestCluster(Files.createTempDirectory("latticare-cluster"));
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
    ActorTestKit kit = ActorTestKit.create(Node.SYSTEM_NAME, LatticareConfig.load("local", overrides));
    var guardian = kit.spawn(LatticareNode.create(NodeSettings.from(kit.system().settings().config())), "node");
    TestProbe<NodeRefs> probe = kit.createTestProbe();
    guardian.tell(new LatticareNode.GetRefs(probe.getRef()));
    NodeRefs refs = probe.receiveMessage();
    Cluster joining = Cluster.get(kit.system());
    joining.manager().tell(Join.create(kits.isEmpty()
        ? joining.selfMember().address()
        : Cluster.get(kits.get(0).system()).selfMember().address()));
    kits.add(kit);
    nodes.add(refs);
    return refs;
  }

  public void awaitMembersUp(int count) {
    kits.get(0).createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      for (ActorTestKit kit : kits) {
        long up = StreamSupport.stream(Cluster.get(kit.system()).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count();
        assertThat(up).as("members Up seen by %s", kit.system().address()).isEqualTo(count);
      }
      return null;
    });
  }

  public void shutdown() {
    for (int i = kits.size() - 1; i >= 0; i--) {
      kits.get(i).shutdownTestKit();
    }
  }
}
