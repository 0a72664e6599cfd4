package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import akka.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;
import org.latticare.node.LatticareNode;

class NodeCommandTest {

  @Test
  void aNodeTheClusterDownedAsksToBeStartedAgain() {
    assertThat(NodeCommand.exitCode(Optional.of(CoordinatedShutdown.clusterDowningReason())))
        .isEqualTo(NodeCommand.EXIT_RESTART);
  }

  @Test
  void aNodeThatFoundNoSeedNodeAsksToBeStartedAgain() {
    assertThat(NodeCommand.exitCode(Optional.of(CoordinatedShutdown.clusterJoinUnsuccessfulReason())))
        .isEqualTo(NodeCommand.EXIT_RESTART);
  }

  @Test
  void aNodeWhoseReplicaMustDropBlocksNeverCommittedAsksToBeStartedAgain() {
    assertThat(NodeCommand.exitCode(Optional.of(LatticareNode.ChainDiverged.INSTANCE)))
        .isEqualTo(NodeCommand.EXIT_RESTART);
  }

  @Test
  void aNodeStoppedOnPurposeEndsTheLoop() {
    assertThat(NodeCommand.exitCode(Optional.of(CoordinatedShutdown.jvmExitReason()))).isZero();
    assertThat(NodeCommand.exitCode(Optional.of(CoordinatedShutdown.clusterLeavingReason()))).isZero();
    assertThat(NodeCommand.exitCode(Optional.empty())).isZero();
  }
}
