package org.latticare.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.cluster.LatticareConfig;

/**
 * Three ActorSystems whose certificates one development CA issued form a cluster over Artery's {@code tls-tcp}; a
 * fourth, with a certificate from another CA, fails every handshake and never becomes a member. Each system is
 * configured exactly as a node in its own JVM would be: the profile's configuration and files on disk.
 */
class TlsClusterMultiNodeSpec {

  private static final Duration FORM_WITHIN = Duration.ofSeconds(30);
  /** Long enough for the outsider's join to be retried (every few seconds) and refused several times. */
  private static final Duration REFUSED_FOR = Duration.ofSeconds(12);

  private static Path dir;
  private static final List<ActorSystem<Void>> systems = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("latticare-tls");
  }

  @AfterAll
  static void stop() throws Exception {
    for (ActorSystem<Void> system : systems) {
      system.terminate();
    }
    for (ActorSystem<Void> system : systems) {
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static Config nodeConfig(String nodeId, Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>(extra);
    overrides.put("latticare.node-id", nodeId);
    overrides.put("latticare.data-dir", dir.resolve(nodeId).toString());
    overrides.put("akka.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    overrides.put("akka.cluster.split-brain-resolver.stable-after", "60s");
    // as `latticare up` and the `cluster` profile have it (the `local` profile alone stays plain for tests)
    overrides.put("akka.remote.artery.transport", "tls-tcp");
    return LatticareConfig.load("local", overrides);
  }

  private static ActorSystem<Void> startNode(Config config) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "latticare", config);
    systems.add(system);
    return system;
  }

  private static Set<Address> upMembers(ActorSystem<?> system) {
    return StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).map(Member::address).collect(Collectors.toSet());
  }

  private static Address address(ActorSystem<?> system) {
    return Cluster.get(system).selfMember().address();
  }

  @Test
  void nodesOfOneCaFormAClusterOverTlsAndANodeOfAnotherCaIsRefused() throws Exception {
    List<ActorSystem<Void>> consortium = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Config config = nodeConfig("node-" + i, Map.of());
      assertThat(config.getString("akka.remote.artery.transport")).isEqualTo("tls-tcp");
      ActorSystem<Void> system = startNode(config);
      consortium.add(system);
      Cluster.get(system).manager().tell(Join.create(address(consortium.get(0))));
    }
    Set<Address> expected = consortium.stream().map(TlsClusterMultiNodeSpec::address).collect(Collectors.toSet());
    long deadline = System.nanoTime() + FORM_WITHIN.toNanos();
    while (!consortium.stream().allMatch(s -> upMembers(s).equals(expected)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    for (ActorSystem<Void> system : consortium) {
      assertThat(upMembers(system)).as("members Up seen by " + address(system)).isEqualTo(expected);
    }
    // every node's certificate comes from the one development CA beside the data directories
    CertificateAuthority devCa = CertificateAuthority.load(dir.resolve("tls-ca"));
    for (int i = 1; i <= 3; i++) {
      NodeTls tls = NodeTls.load(dir.resolve("node-" + i + "/tls/node-" + i + ".p12"),
          dir.resolve("node-" + i + "/tls/node-" + i + ".trust.p12"), dir.resolve("node-" + i + "/tls/node-" + i + ".password"));
      assertThat(tls.ca()).isEqualTo(devCa.certificate());
    }

    // the outsider's material comes from a CA of its own, consistent in itself (it would start on its own)
    Config outsiderConfig = nodeConfig("node-4", Map.of("latticare.tls.dev-ca-dir", dir.resolve("other-ca").toString()));
    TlsSettings outsiderTls = TlsSettings.from(outsiderConfig);
    assertThat(NodeTls.ensure(outsiderTls).ca()).isNotEqualTo(devCa.certificate());
    ActorSystem<Void> outsider = startNode(outsiderConfig);
    Cluster.get(outsider).manager().tell(Join.create(address(consortium.get(0))));

    Address outsiderAddress = address(outsider);
    long refusedUntil = System.nanoTime() + REFUSED_FOR.toNanos();
    while (System.nanoTime() < refusedUntil) {
      for (ActorSystem<Void> system : consortium) {
        Set<Address> known = StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
            .map(Member::address).collect(Collectors.toSet());
        assertThat(known).as("the outsider never becomes a member, not even Joining").doesNotContain(outsiderAddress);
        assertThat(upMembers(system)).as("the consortium stays Up").isEqualTo(expected);
      }
      assertThat(upMembers(outsider)).as("the outsider sees no member Up").isEmpty();
      Thread.sleep(250);
    }
    assertThat(Optional.of(Cluster.get(outsider).selfMember().status()))
        .as("the outsider never got past joining").isNotEqualTo(Optional.of(MemberStatus.up()));
  }
}
