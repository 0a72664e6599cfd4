package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.latticare.node.http.auth.LoginNonces.Problem;

/** Login nonces are single-use, good only on the front that issued them until they expire, and their store is bounded. */
class LoginNoncesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(2);

  @Test
  void aNonceIsSpentOnce() {
    LoginNonces nonces = new LoginNonces(TTL, 100, new TestClock(T0));
    LoginNonces.Issued issued = nonces.issue();
    assertThat(issued.expiresAtMillis()).isEqualTo(T0.plus(TTL).toEpochMilli());
    assertThat(nonces.check(issued.nonce())).isEmpty();
    assertThat(nonces.spend(issued.nonce())).isEmpty();
    assertThat(nonces.check(issued.nonce())).contains(Problem.USED);
    assertThat(nonces.spend(issued.nonce())).contains(Problem.USED);
    assertThat(nonces.spend(nonces.issue().nonce())).as("a fresh nonce").isEmpty();
  }

  @Test
  void anotherFrontsAlteredOrMadeUpNonceIsInvalid() {
    LoginNonces nonces = new LoginNonces(TTL, 100, new TestClock(T0));
    String theirs = new LoginNonces(TTL, 100, new TestClock(T0)).issue().nonce();
    assertThat(nonces.spend(theirs)).as("issued by another front, or this one before a restart").contains(Problem.INVALID);
    String mine = nonces.issue().nonce();
    char[] altered = mine.toCharArray();
    altered[3] = altered[3] == 'A' ? 'B' : 'A';
    assertThat(nonces.spend(new String(altered))).contains(Problem.INVALID);
    for (String garbage : new String[] {"", "abc", "!!!!", mine + "AA", mine + "=", mine.substring(1)}) {
      assertThat(nonces.check(garbage)).as(garbage).contains(Problem.INVALID);
    }
    assertThat(nonces.spend(mine)).as("refusals spend nothing").isEmpty();
  }

  @Test
  void aNonceExpires() {
    TestClock clock = new TestClock(T0);
    LoginNonces nonces = new LoginNonces(TTL, 100, clock);
    String nonce = nonces.issue().nonce();
    clock.advance(TTL);
    assertThat(nonces.check(nonce)).contains(Problem.EXPIRED);
    assertThat(nonces.spend(nonce)).contains(Problem.EXPIRED);
  }

  @Test
  void theStoreOfSpentNoncesIsBoundedAndRefusesRatherThanForget() {
    TestClock clock = new TestClock(T0);
    LoginNonces nonces = new LoginNonces(TTL, 2, clock);
    String first = nonces.issue().nonce();
    assertThat(nonces.spend(first)).isEmpty();
    assertThat(nonces.spend(nonces.issue().nonce())).isEmpty();
    String third = nonces.issue().nonce();
    assertThat(nonces.spend(third)).contains(Problem.FULL);
    assertThat(nonces.spend(first)).as("still remembered").contains(Problem.USED);
    clock.advance(TTL.plusSeconds(1));
    assertThat(nonces.spend(nonces.issue().nonce())).as("room again once the spent ones expired").isEmpty();
  }

  @Test
  void aLoginProofBindsTheNonceAndThePatient() {
    assertThat(LoginNonces.context("n1", "p-1")).isNotEqualTo(LoginNonces.context("n2", "p-1"))
        .isNotEqualTo(LoginNonces.context("n1", "p-2"));
    assertThat(new String(LoginNonces.context("n1", "p-1"), StandardCharsets.UTF_8))
        .isEqualTo("latticare/login/v1\nn1\np-1");
  }
}
