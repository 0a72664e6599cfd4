package org.latticare.node.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.TestCluster;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.zkp.ring.RingAccumulator;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * Three nodes, each a verifier: a patient proves its identity to the ring of verifier actors, the identity
 * contract tallies their signed verdicts and commits {@code IdentityVerified}, which every replica holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private static final IdentificationParameters P = IdentificationParameters.N256;
  private static TestCluster cluster;
  private static MlDsa65.KeyPair admin;
  private static IdentityKeyPair patient;
  private static Duration patience;
  private static long nonce = 1;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(3, List.of(ROLES, ROLES, ROLES));
    cluster.awaitRing(3);
    admin = cluster.clientKey("admin");
    patience = cluster.nodes.get(0).settings().askTimeout().multipliedBy(6);
    patient = IdentityKeyPair.generate(P, RandomSource.secure());
    commit(new TxBody.PatientEnrolled("p-proof", patient.publicKey().encode(), Sha3Hash.ZERO));
    commit(new TxBody.PatientEnrolled("p-no-key", new byte[] {1}, Sha3Hash.ZERO));
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  private static void commit(TxBody body) {
    Transaction tx = Transaction.sign(admin, "admin", nonce++, System.currentTimeMillis(), body);
    TestProbe<SubmitResult> probe = cluster.kits.get(0).createTestProbe();
    cluster.nodes.get(0).mempool().tell(new Mempool.Submit(tx.encode(), probe.getRef()));
    assertThat(probe.receiveMessage(patience).outcome()).isEqualTo(SubmitResult.Outcome.COMMITTED);
  }

  private static IdentityContract.Finished prove(int via, IdentityKeyPair keys, String pseudonym, String session) {
    TestProbe<IdentityContract.Finished> probe = cluster.kits.get(via).createTestProbe();
    cluster.kits.get(via).spawn(CustodialProver.create(keys, pseudonym, session, cluster.nodes.get(via).identities(),
        probe.getRef()));
    return probe.receiveMessage(patience);
  }

  @Test
  void aProofRunsAlongTheRingInOrderAndItsIdentityVerifiedIsOnEveryReplica() {
    ProverDevice device = new ProverDevice(cluster.kits.get(1), patient);
    IdentityContract.Opened opened = device.open(cluster.nodes.get(1).identities(), "s-ring-order", "p-proof", patience);
    // the ring is every verifier, ordered by address (the embedded nodes share a host: by port)
    List<String> byPort = IntStream.range(0, 3).boxed()
        .sorted((a, b) -> Integer.compare(port(a), port(b))).map(i -> "node-" + (i + 1)).toList();
    assertThat(opened.ring()).extracting(IdentityContract.Seat::nodeId).containsExactlyElementsOf(byPort);

    IdentityContract.Finished finished = device.prove(opened, patience);
    assertThat(finished.identified()).as(finished.code() + ": " + finished.detail()).isTrue();

    // every seat committed and opened, in ring order, and E2 is their fold
    assertThat(device.challenges).isNotEmpty().allSatisfy(issued -> {
      assertThat(issued.hops()).extracting(RingChallengeIdentification.Hop::index).containsExactly(0, 1, 2);
      assertThat(issued.reveals()).extracting(RingChallengeIdentification.Reveal::index).containsExactly(0, 1, 2);
      assertThat(issued.accumulator()).isEqualTo(RingAccumulator.foldAll(issued.reveals()));
    });
    assertThat(finished.identified()).as(finished.detail()).isTrue();
    assertThat(finished.code()).isEqualTo(IdentityContract.IDENTIFIED);
    assertThat(finished.accepting()).hasSizeGreaterThanOrEqualTo(2);
    String hash = finished.transactionHash();
    for (int i = 0; i < 3; i++) {
      int node = i;
      cluster.kits.get(node).createTestProbe().awaitAssert(patience, () -> {
        TestProbe<ChainReplica.PatientTransactions> probe = cluster.kits.get(node).createTestProbe();
        cluster.nodes.get(node).replica().tell(new ChainReplica.GetPatientTransactions("p-proof", probe.getRef()));
        assertThat(probe.receiveMessage().transactionHashes()).contains(hash);
        return null;
      });
    }
  }

  private static int port(int node) {
    return Cluster.get(cluster.kits.get(node).system()).selfMember().address().getPort().orElse(0);
  }

  /**
   * Ring member {@code k}'s key signs a second commitment for the attempt, and the prover is shown the
   * challenge built on it (what a lying member relays): the honest verifiers see the answer to another E2,
   * name that member, and the session ends EQUIVOCATION, not as the prover's failure.
   */
  @Test
  void aVerifierThatShowsTheProverAnotherChallengeIsNamed() {
    ProverDevice device = new ProverDevice(cluster.kits.get(0), patient);
    IdentityContract.Opened opened = device.open(cluster.nodes.get(0).identities(), "s-equivocate", "p-proof", patience);
    String liar = opened.ring().get(1).nodeId();
    MlDsa65.KeyPair liarKey = ConsortiumFiles.readKey(cluster.dataDir.resolve(liar).resolve("node.key"));
    device.shown = issued -> reopened(issued, 1, liarKey);

    IdentityContract.Finished finished = device.prove(opened, patience);

    assertThat(finished.identified()).isFalse();
    assertThat(finished.code()).as(finished.detail()).isEqualTo(IdentityContract.EQUIVOCATION);
    assertThat(finished.suspects()).containsExactly(liar);
    assertThat(finished.transactionHash()).isNull();
  }

  /** {@code issued} with position {@code k}'s commitment replaced by another that {@code key} signs and opens. */
  private static ChallengeIssued reopened(ChallengeIssued issued, int k, MlDsa65.KeyPair key) {
    byte[] value = new byte[32];
    byte[] salt = new byte[32];
    RandomSource random = RandomSource.secure();
    random.nextBytes(value);
    random.nextBytes(salt);
    byte[] commitment = RingChallengeIdentification.contributionCommitment(issued.session(), issued.round(),
        issued.attempt(), issued.commitmentDigest(), k, value, salt);
    List<RingChallengeIdentification.Hop> hops = new ArrayList<>(issued.hops());
    hops.set(k, new RingChallengeIdentification.Hop(k, commitment, key.sign(RingChallengeIdentification.hopPayload(
        issued.session(), issued.round(), issued.attempt(), issued.commitmentDigest(), k, commitment))));
    List<RingChallengeIdentification.Reveal> reveals = new ArrayList<>(issued.reveals());
    reveals.set(k, new RingChallengeIdentification.Reveal(k, value, salt));
    return new ChallengeIssued(issued.session(), issued.round(), issued.attempt(), issued.commitmentDigest(),
        RingAccumulator.foldAll(reveals), hops, reveals);
  }

  @Test
  void aForgerWithoutTheSecretKeyIsRefusedByEveryVerifier() {
    IdentityKeyPair forger = IdentityKeyPair.generate(P, RandomSource.secure());
    IdentityContract.Finished finished = prove(2, forger, "p-proof", "s-forger");
    assertThat(finished.identified()).isFalse();
    assertThat(finished.code()).isEqualTo(IdentityContract.NOT_IDENTIFIED);
    assertThat(finished.accepting()).isEmpty();
    assertThat(finished.rejecting()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(finished.transactionHash()).isNull();
  }

  @Test
  void aNodeWhoseOperatorDidNotEnableTheSeedProtocolRefusesIt() {
    TestProbe<IdentityContract.ProverEvent> device = cluster.kits.get(0).createTestProbe();
    cluster.nodes.get(0).identities().tell(new ShardingEnvelope<>("s-seed-off",
        new IdentityContract.Open("p-proof", device.getRef(), IdentityContract.SEED)));
    IdentityContract.Finished finished = device.expectMessageClass(IdentityContract.Finished.class, patience);
    assertThat(finished.code()).isEqualTo(IdentityContract.SEED_DISABLED);
    assertThat(finished.identified()).isFalse();
  }

  @Test
  void aPatientWithoutAProofKeyOrAnUnknownPseudonymIsToldWhy() {
    assertThat(prove(0, patient, "p-no-key", "s-no-key").code()).isEqualTo(IdentityContract.NO_PROOF_KEY);
    assertThat(prove(0, patient, "p-nobody", "s-nobody").code()).isEqualTo(IdentityContract.NOT_ENROLLED);
  }

  /**
   * More sessions than the verifiers seat at once: the excess is refused (RING_BUSY) and asked again later.
   * Last, so that its load does not overlap the other tests.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aThousandProofsInFlightCompleteWithoutMixingSessions() {
    int proofs = 1000;
    List<TestProbe<IdentityContract.Finished>> probes = new ArrayList<>();
    for (int i = 0; i < proofs; i++) {
      int via = i % 3;
      TestProbe<IdentityContract.Finished> probe = cluster.kits.get(via).createTestProbe();
      cluster.kits.get(via).spawn(CustodialProver.create(patient, "p-proof", "s-many-" + i,
          cluster.nodes.get(via).identities(), probe.getRef()));
      probes.add(probe);
    }
    Set<String> transactions = new HashSet<>();
    for (int i = 0; i < proofs; i++) {
      IdentityContract.Finished finished = probes.get(i).receiveMessage(Duration.ofSeconds(300));
      assertThat(finished.session()).startsWith("s-many-" + i);
      assertThat(finished.identified()).as(finished.session() + ": " + finished.detail()).isTrue();
      transactions.add(finished.transactionHash());
    }
    assertThat(transactions).hasSize(proofs);
  }
}
