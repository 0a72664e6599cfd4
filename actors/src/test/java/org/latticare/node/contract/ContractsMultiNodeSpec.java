package org.latticare.node.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.rules.PatientTransaction;
import org.latticare.ledger.rules.Rejection;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;
import org.latticare.node.TestCluster;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;

/**
 * Three nodes: access contracts and patient gateways, sharded by pseudonym, answer from committed
 * blocks alone whichever node a request arrives at, and follow grants, revocations and the end of a
 * grant's window as blocks commit, with no polling.
 */
class ContractsMultiNodeSpec {

  private static final List<String> ROLES = List.of("verifier", "producer");
  private static final long HOUR = 3_600_000L;
  private static TestCluster cluster;
  private static MlDsa65.KeyPair admin;
  private static TxBody.Identity consultant;
  private static TxBody.Identity researcher;
  private static Duration patience;
  private static long nonce = 1;

  @BeforeAll
  static void formCluster() {
    cluster = TestCluster.start(3, List.of(ROLES, ROLES, ROLES));
    admin = cluster.clientKey("admin");
    consultant = new TxBody.Identity("consultant", "clinician", "hospital-2", cluster.clientKey("consultant").publicKey());
    researcher = new TxBody.Identity("researcher", "researcher", "university-1",
        cluster.clientKey("researcher").publicKey());
    // an answer involves a commit (a few asks) and then a feed's update: allow several ask timeouts
    patience = cluster.nodes.get(0).settings().askTimeout().multipliedBy(6);
  }

  @AfterAll
  static void stopCluster() {
    cluster.shutdown();
  }

  /** Submits as the hospital-1 admin through node {@code via} and waits for the commit. */
  private static void commit(int via, TxBody body) {
    Transaction tx = Transaction.sign(admin, "admin", nonce++, System.currentTimeMillis(), body);
    TestProbe<SubmitResult> probe = cluster.kits.get(via).createTestProbe();
    cluster.nodes.get(via).mempool().tell(new Mempool.Submit(tx.encode(), probe.getRef()));
    SubmitResult result = probe.receiveMessage(patience);
    assertThat(result.outcome()).as(result.reason()).isEqualTo(SubmitResult.Outcome.COMMITTED);
  }

  /** A patient of hospital-1 with one record, each id fresh for the test. */
  private static void enrolWithRecord(String pseudonym, String recordId) {
    commit(0, new TxBody.PatientEnrolled(pseudonym, new byte[] {1}, Sha3Hash.ZERO));
    commit(1, new TxBody.RecordAnchored(recordId, pseudonym, Sha3Hash.ZERO, 1, "store", new byte[0]));
  }

  private static AccessContract.Decision decide(int via, String pseudonym, TxBody.Identity caller,
      AccessContract.Action action, String recordId) {
    TestProbe<AccessContract.Decision> probe = cluster.kits.get(via).createTestProbe();
    cluster.nodes.get(via).contracts().tell(new ShardingEnvelope<>(pseudonym,
        new AccessContract.Decide(caller, action, recordId, System.currentTimeMillis(), probe.getRef())));
    return probe.receiveMessage(patience);
  }

  private static Rejection.Code readOutcome(AccessContract.Decision decision) {
    return decision.allowed() ? null : decision.rejection().code();
  }

  /** Asks through every node's region until each gives {@code expected} (null: allowed); returns the decisions. */
  private static List<AccessContract.Decision> awaitReadDecision(String pseudonym, TxBody.Identity caller,
      String recordId, Rejection.Code expected) {
    List<AccessContract.Decision> decisions = new ArrayList<>();
    cluster.kits.get(0).createTestProbe().awaitAssert(patience, () -> {
      decisions.clear();
      for (int via = 0; via < 3; via++) {
        AccessContract.Decision decision = decide(via, pseudonym, caller, AccessContract.Action.READ_RECORD, recordId);
        assertThat(readOutcome(decision)).as("read of %s by %s asked through node-%d: %s", recordId,
            caller.identityId(), via + 1, decision.rejection()).isEqualTo(expected);
        decisions.add(decision);
      }
      return null;
    });
    return decisions;
  }

  private static PatientGateway.Notifications notifications(int via, String pseudonym) {
    TestProbe<PatientGateway.Notifications> probe = cluster.kits.get(via).createTestProbe();
    cluster.nodes.get(via).gateways().tell(new ShardingEnvelope<>(pseudonym,
        new PatientGateway.GetNotifications(-1, -1, System.currentTimeMillis(), probe.getRef())));
    return probe.receiveMessage(patience);
  }

  @Test
  void aContractAnswersFromTheChainForRequestsArrivingAtAnyNode() {
    String pseudonym = "p-contract";
    enrolWithRecord(pseudonym, "r-contract");

    List<AccessContract.Decision> before = awaitReadDecision(pseudonym, consultant, "r-contract", Rejection.Code.NO_ACCESS);
    Set<String> runsOn = new HashSet<>();
    before.forEach(d -> runsOn.add(d.decidedOn()));
    assertThat(runsOn).as("one entity per patient, wherever the request arrives").hasSize(1);
    List<String> askedFrom = cluster.kits.stream()
        .map(kit -> Cluster.get(kit.system()).selfMember().address().toString()).toList();
    assertThat(askedFrom).contains(runsOn.iterator().next());
    assertThat(askedFrom.stream().filter(a -> !runsOn.contains(a)))
        .as("requests through the other nodes' regions were answered by the entity on another node").hasSize(2);

    commit(1, new TxBody.AccessGranted("r-contract", "consultant", "care", System.currentTimeMillis() + HOUR,
        new byte[0]));
    awaitReadDecision(pseudonym, consultant, "r-contract", null);
    assertThat(decide(2, pseudonym, consultant, AccessContract.Action.VIEW_PATIENT, null).allowed())
        .as("an active grantee sees the patient's views").isTrue();
    assertThat(readOutcome(decide(0, pseudonym, researcher, AccessContract.Action.READ_RECORD, "r-contract")))
        .as("a grant is for its grantee only").isEqualTo(Rejection.Code.NO_ACCESS);

    commit(2, new TxBody.AccessRevoked("r-contract", "consultant"));
    awaitReadDecision(pseudonym, consultant, "r-contract", Rejection.Code.ACCESS_REVOKED);
  }

  @Test
  void aPatientsGatewayIsToldOfTheGrantMadeForItsPatient() {
    String pseudonym = "p-gateway";
    enrolWithRecord(pseudonym, "r-gateway");
    long notAfter = System.currentTimeMillis() + HOUR;
    commit(0, new TxBody.AccessGranted("r-gateway", "researcher", "study-42", notAfter, new byte[0]));

    cluster.kits.get(2).createTestProbe().awaitAssert(patience, () -> {
      PatientGateway.Notifications seen = notifications(2, pseudonym);
      assertThat(seen.notifications()).filteredOn(n -> n.type() == TxType.ACCESS_GRANTED).singleElement()
          .satisfies(grant -> {
            assertThat(grant.recordId()).isEqualTo("r-gateway");
            assertThat(grant.grantee()).isEqualTo("researcher");
            assertThat(grant.notAfterMillis()).isEqualTo(notAfter);
            assertThat(grant.submitter()).isEqualTo("admin");
          });
      return null;
    });

    commit(1, new TxBody.AccessRevoked("r-gateway", "researcher"));
    cluster.kits.get(1).createTestProbe().awaitAssert(patience, () -> {
      PatientGateway.Notifications seen = notifications(1, pseudonym);
      assertThat(seen.notifications()).extracting(PatientTransaction::type)
          .containsExactly(TxType.RECORD_ANCHORED, TxType.ACCESS_GRANTED, TxType.ACCESS_REVOKED);
      PatientTransaction granted = seen.notifications().get(1);
      TestProbe<PatientGateway.Notifications> probe = cluster.kits.get(0).createTestProbe();
      cluster.nodes.get(0).gateways().tell(new ShardingEnvelope<>(pseudonym, new PatientGateway.GetNotifications(
          granted.height(), granted.index(), System.currentTimeMillis(), probe.getRef())));
      assertThat(probe.receiveMessage(patience).notifications()).as("only what follows the patient's cursor")
          .extracting(PatientTransaction::type).containsExactly(TxType.ACCESS_REVOKED);
      return null;
    });
  }

  @Test
  void aReadIsAllowedByAGrantUntilItsWindowEnds() {
    String pseudonym = "p-window";
    enrolWithRecord(pseudonym, "r-window");
    // the contract is running when the grant commits, so only a published block can tell it
    awaitReadDecision(pseudonym, consultant, "r-window", Rejection.Code.NO_ACCESS);
    long window = 4_000;
    long notAfter = System.currentTimeMillis() + window;
    commit(2, new TxBody.AccessGranted("r-window", "consultant", "second opinion", notAfter, new byte[0]));
    awaitReadDecision(pseudonym, consultant, "r-window", null);

    // no block touches the patient after the grant: the end is judged by the caller's clock
    List<AccessContract.Decision> ended = awaitReadDecision(pseudonym, consultant, "r-window",
        Rejection.Code.ACCESS_EXPIRED);
    assertThat(ended).allSatisfy(d -> assertThat(d.atMillis()).isGreaterThanOrEqualTo(notAfter));
    cluster.kits.get(1).createTestProbe().awaitAssert(patience, () -> {
      assertThat(notifications(1, pseudonym).endedGrants()).singleElement()
          .isEqualTo(new PatientGateway.EndedGrant("r-window", "consultant", notAfter));
      return null;
    });
  }
}
