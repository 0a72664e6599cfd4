package org.latticare.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.ring.Ring;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.LruCache;
import org.latticare.zkp.seed.SeedRingProtocol;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/** The identity contract's pure pieces: reading a proof key from an enrolment, seed messages on the wire, the key cache. */
class IdentityPiecesTest {

  private static final MlDsa65.KeyPair ADMIN = MlDsa65.generate();

  private static byte[] tx(TxBody body) {
    return Transaction.sign(ADMIN, "admin", 1, 1_000, body).encode();
  }

  @Test
  void anEnrolmentGivesItsProofKeyOnlyWhenItIsOneOfAKnownParameterSet() {
    byte[] key = IdentityKeyPair.generate(IdentificationParameters.N256, RandomSource.secure()).publicKey().encode();
    assertThat(IdentityContract.enrolmentKey(tx(new TxBody.PatientEnrolled("p", key, Sha3Hash.ZERO))))
        .hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
    assertThat(IdentityContract.enrolmentKey(tx(new TxBody.PatientEnrolled("p", new byte[] {1}, Sha3Hash.ZERO))))
        .isEmpty();
    byte[] truncated = java.util.Arrays.copyOf(key, key.length - 1);
    assertThat(IdentityContract.enrolmentKey(tx(new TxBody.PatientEnrolled("p", truncated, Sha3Hash.ZERO)))).isEmpty();
    assertThat(IdentityContract.enrolmentKey(tx(new TxBody.RecordErased("r")))).isEmpty();
    assertThat(IdentityContract.enrolmentKey(new byte[] {1, 2, 3})).isEmpty();
  }

  @Test
  void everySeedMessageCrossesTheWireUnchangedAndAWrongVectorIsRefused() {
    SeedRingProtocol.Parameters p = new SeedRingProtocol.Parameters(Ring.DILITHIUM_PRIME, 4, 3, 2);
    PolyVector v = PolyVector.ofCoefficients(p.ring(), 1, 2, 3, p.q() - 1);
    List<SeedRingProtocol.Message> all = List.of(new SeedRingProtocol.OpenRound("s", 1),
        new SeedRingProtocol.Contribution("s", 1, 2, v), new SeedRingProtocol.RoundOpened("s", 1, v),
        new SeedRingProtocol.E1("s", 1, 77), new SeedRingProtocol.E2Pass("s", 1, 2, v),
        new SeedRingProtocol.E2Result("s", 1, v), new SeedRingProtocol.E3("s", 1, 78),
        new SeedRingProtocol.RoundVerdict("s", 1, true, true, false));
    for (SeedRingProtocol.Message m : all) {
      assertThat(SeedStep.of(m).toMessage(p)).isEqualTo(m);
    }
    SeedStep contribution = SeedStep.of(new SeedRingProtocol.Contribution("s", 1, 2, v));
    SeedStep short1 = new SeedStep("s", SeedStep.Kind.CONTRIBUTION, 1, 2, new long[] {1, 2, 3}, 0, false, false, false);
    assertThatThrownBy(() -> short1.toMessage(p)).isInstanceOf(IllegalArgumentException.class);
    long[] big = contribution.vector().clone();
    big[0] = p.q();
    SeedStep outOfRange = new SeedStep("s", SeedStep.Kind.CONTRIBUTION, 1, 2, big, 0, false, false, false);
    assertThatThrownBy(() -> outOfRange.toMessage(p)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCacheOfEnrolmentFactsForgetsTheLeastRecentlyUsed() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assertThat(cache.get("a")).contains(1);
    cache.put("c", 3);
    assertThat(cache.get("b")).as("least recently used").isEmpty();
    assertThat(cache.get("a")).contains(1);
    assertThat(cache.get("c")).contains(3);
  }
}
