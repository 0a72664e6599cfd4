package org.latticare.node.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.latticare.node.TestCluster;
import org.latticare.zkp.ring.RingAccumulator;

/** Three ActorSystems in one JVM on loopback: the verifier ring across real Artery hops. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifierRingMultiNodeSpec {

  private static final List<String> ALL_ROLES = List.of("verifier", "producer", "front");
  private static TestCluster cluster;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(3, List.of(ALL_ROLES, ALL_ROLES, ALL_ROLES));
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  private static ActorTestKit kit(int node) {
    return cluster.kits.get(node);
  }

  private static ActorRef<VerifierNode.Command> verifier(int node) {
    return cluster.nodes.get(node).verifier().orElseThrow();
  }

  private static List<VerifierNode.Member> ring(int node) {
    TestProbe<VerifierNode.RingView> probe = kit(node).createTestProbe();
    verifier(node).tell(new VerifierNode.GetRing(probe.getRef()));
    return probe.receiveMessage().members();
  }

  private static VerifierNode.RingTrace pass(int fromNode) {
    TestProbe<StatusReply<VerifierNode.RingTrace>> probe = kit(fromNode).createTestProbe();
    verifier(fromNode).tell(new VerifierNode.RunRingPass(probe.getRef()));
    StatusReply<VerifierNode.RingTrace> reply = probe.receiveMessage(Duration.ofSeconds(15));
    assertThat(reply.isSuccess()).as("ring pass succeeded: %s", reply).isTrue();
    return reply.getValue();
  }

  private static void awaitRingOfSize(int node, int size) {
    kit(node).createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      assertThat(ring(node)).hasSize(size);
      return null;
    });
  }

  @Test
  @Order(1)
  void everyNodeSeesTheSameRingOrderedByAddress() {
    for (int node = 0; node < 3; node++) {
      awaitRingOfSize(node, 3);
    }
    List<VerifierNode.Member> ring = ring(0);
    assertThat(ring(1)).isEqualTo(ring);
    assertThat(ring(2)).isEqualTo(ring);
    assertThat(ring).extracting(VerifierNode.Member::nodeId).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
  }

  @Test
  @Order(2)
  void ringPassVisitsEveryNodeOnceInRingOrderAndItsAccumulatorChecksOut() {
    List<String> order = ring(0).stream().map(VerifierNode.Member::nodeId).toList();
    for (int origin = 0; origin < 3; origin++) {
      VerifierNode.RingTrace trace = pass(origin);
      assertThat(trace.hops()).extracting(VerifierNode.Hop::nodeId).containsExactlyElementsOf(order);
      assertThat(trace.hops()).extracting(VerifierNode.Hop::index).containsExactly(0, 1, 2);
      byte[] accumulator = new byte[32];
      for (VerifierNode.Hop hop : trace.hops()) {
        accumulator = RingAccumulator.fold(accumulator, hop.index(), hop.contribution());
      }
      assertThat(trace.accumulator()).isEqualTo(HexFormat.of().formatHex(accumulator));
      assertThat(trace.attempts()).isEqualTo(1);
    }
    assertThat(Arrays.equals(pass(0).hops().get(0).contribution(), pass(0).hops().get(0).contribution()))
        .as("each pass draws fresh contributions").isFalse();
  }

  @Test
  @Order(4)
  void ringReformsWhenAVerifierLeavesAndANewPassSucceeds() {
    String leaving = "node-3";
    cluster.stop(2);
    awaitRingOfSize(0, 2);
    awaitRingOfSize(1, 2);
    VerifierNode.RingTrace trace = pass(1);
    assertThat(trace.hops()).hasSize(2);
    assertThat(trace.hops()).extracting(VerifierNode.Hop::nodeId).doesNotContain(leaving)
        .containsExactlyInAnyOrder("node-1", "node-2");
  }
}
