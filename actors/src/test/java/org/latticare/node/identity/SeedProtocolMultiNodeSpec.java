package org.latticare.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.seed.SeedForger;
import org.latticare.zkp.seed.SeedRingProtocol;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * The paper's protocol as written, run by the ring of verifier actors on nodes whose operators enabled it:
 * a prover that knows nothing passes all T rounds (and reads the verifiers' secret off E2), while on the same
 * cluster the sound protocol refuses a prover without the patient's secret key.
 */
class SeedProtocolMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private static TestCluster cluster;
  private static Duration patience;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(3, List.of(ROLES, ROLES, ROLES), Map.of("latticare.identity.seed.enabled", "on"));
    cluster.awaitRing(3);
    patience = cluster.nodes.get(0).settings().askTimeout().multipliedBy(6);
    IdentityKeyPair patient = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure());
    Transaction enrol = Transaction.sign(cluster.clientKey("admin"), "admin", 1, System.currentTimeMillis(),
        new TxBody.PatientEnrolled("p-seed", patient.publicKey().encode(), Sha3Hash.ZERO));
    TestProbe<SubmitResult> submitted = cluster.kits.get(0).createTestProbe();
    cluster.nodes.get(0).mempool().tell(new Mempool.Submit(enrol.encode(), submitted.getRef()));
    assertThat(submitted.receiveMessage(patience).outcome()).isEqualTo(SubmitResult.Outcome.COMMITTED);
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  @Test
  void theSeedProtocolsForgerPassesEveryRoundAndTheSoundProtocolsDoesNot() {
    TestProbe<IdentityContract.ProverEvent> device = cluster.kits.get(1).createTestProbe();
    cluster.nodes.get(1).identities().tell(new ShardingEnvelope<>("s-seed-forger",
        new IdentityContract.Open("p-seed", device.getRef(), IdentityContract.SEED)));
    IdentityContract.Opened opened = device.expectMessageClass(IdentityContract.Opened.class, patience);
    assertThat(opened.ring()).hasSize(3);
    SeedRingProtocol.Parameters parameters = new SeedRingProtocol.Parameters(Ring.DILITHIUM_PRIME, 16, 3,
        opened.rounds());
    // knows no witness at all
    SeedForger forger = SeedForger.create(parameters, opened.session(), RandomSource.secure());
    int accepted = 0;
    IdentityContract.Finished finished = null;
    while (finished == null) {
      IdentityContract.ProverEvent event = device.receiveMessage(patience);
      if (event instanceof IdentityContract.SeedToProver to) {
        if (to.step().kind() == SeedStep.Kind.ROUND_VERDICT && to.step().accepted()) {
          accepted++;
        }
        Outcome<SeedForger, SeedRingProtocol.Message> out = forger.onMessage(to.step().toMessage(parameters));
        forger = out.state();
        for (SeedRingProtocol.Message m : out.messages()) {
          opened.contract().tell(new IdentityContract.SeedFromProver(SeedStep.of(m)));
        }
      } else if (event instanceof IdentityContract.Finished f) {
        finished = f;
      }
    }
    assertThat(finished.code()).as(finished.detail()).isEqualTo(IdentityContract.SEED_PASSED);
    assertThat(accepted).isEqualTo(opened.rounds()).isEqualTo(20);
    assertThat(forger.learnedSecret()).as("the verifiers' secret r, read off E2").isNotNull();
    assertThat(finished.identified()).as("a seed pass is never an identification").isFalse();
    assertThat(finished.transactionHash()).isNull();

    // the sound protocol on the same ring: a prover without the patient's secret key is refused
    IdentityKeyPair impostor = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure());
    TestProbe<IdentityContract.Finished> sound = cluster.kits.get(1).createTestProbe();
    cluster.kits.get(1).spawn(CustodialProver.create(impostor, "p-seed", "s-sound-forger",
        cluster.nodes.get(1).identities(), sound.getRef()));
    assertThat(sound.receiveMessage(patience).code()).isEqualTo(IdentityContract.NOT_IDENTIFIED);
  }
}
