package org.latticare.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import akka.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * Four verifiers; one is lost after the session's ring was fixed and before its pass came back: the
 * contract re-forms the ring from the three left, the prover starts again on it, and the proof completes.
 * One lost node costs one retry, not a failed proof.
 */
class IdentityRingLossMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private static TestCluster cluster;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(4, List.of(ROLES, ROLES, ROLES, ROLES));
    cluster.awaitRing(4);
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  @Test
  void aVerifierLostMidPassCostsOneRetryOnTheReformedRing() {
    Duration patience = cluster.nodes.get(0).settings().askTimeout().multipliedBy(6);
    IdentityKeyPair patient = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure());
    Transaction enrol = Transaction.sign(cluster.clientKey("admin"), "admin", 1, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-loss", patient.publicKey().encode(), Sha3Hash.ZERO));
    TestProbe<SubmitResult> submitted = cluster.kits.get(0).createTestProbe();
    cluster.nodes.get(0).mempool().tell(new Mempool.Submit(enrol.encode(), submitted.getRef()));
    assertThat(submitted.receiveMessage(patience).outcome()).isEqualTo(SubmitResult.Outcome.COMMITTED);

    ProverDevice device = new ProverDevice(cluster.kits.get(0), patient);
    IdentityContract.Opened opened = device.open(cluster.nodes.get(0).identities(), "s-loss", "p-loss", patience);
    assertThat(opened.ring()).hasSize(4);
    // lose a verifier that neither hosts the contract nor is the node the device talks to
    int victim = IntStream.of(3, 2, 1).filter(i -> !("node-" + (i + 1)).equals(opened.host())).findFirst().orElseThrow();
    String lost = "node-" + (victim + 1);
    cluster.stop(victim);

    IdentityContract.Finished finished = device.prove(opened, patience);

    assertThat(finished.identified()).as(finished.detail()).isTrue();
    assertThat(device.rings).as("the first ring and the re-formed one").hasSize(2);
    IdentityContract.Opened reformed = device.rings.get(1);
    assertThat(reformed.session()).isEqualTo("s-loss/1");
    assertThat(reformed.ring()).hasSize(3).extracting(IdentityContract.Seat::nodeId).doesNotContain(lost);
    // a majority of the consortium's four verifiers is three: every seat of the new ring accepted
    assertThat(finished.accepting()).containsExactlyInAnyOrderElementsOf(
        reformed.ring().stream().map(IdentityContract.Seat::nodeId).toList());
  }
}
