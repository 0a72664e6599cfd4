package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.http.auth.AuthFailure.Code;

/**
 * Identity tokens as an adversary meets them: one issued by any member's node key opens on every front until it
 * expires; expired, forged (another key, an unknown issuer, altered claims), overlong-lived or malformed ones
 * are refused with their codes.
 */
class IdentityTokensTest {

  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final MlDsa65.KeyPair NODE_1 = MlDsa65.generate();
  private static final MlDsa65.KeyPair NODE_2 = MlDsa65.generate();
  private static final Map<String, byte[]> MEMBERS = Map.of("node-1", NODE_1.publicKey(), "node-2", NODE_2.publicKey());

  private static IdentityTokens front(String nodeId, MlDsa65.KeyPair key, Instant at) {
    return new IdentityTokens(nodeId, key, MEMBERS, TTL, new TestClock(at));
  }

  private static Code refusal(IdentityTokens.TokenCheck check) {
    assertThat(check).isInstanceOf(AuthFailure.class);
    return ((AuthFailure) check).code();
  }

  @Test
  void aTokenIssuedByOneMemberIsValidOnAnotherFrontUntilItExpires() {
    IdentityTokens.Issued issued = front("node-1", NODE_1, NOW).issue("p-1", "hospital-1", "ring:ab");
    IdentityTokens other = front("node-2", NODE_2, NOW);
    IdentityTokens.TokenCheck check = other.verify(issued.token(), NOW.plusSeconds(10));
    assertThat(check).isInstanceOf(IdentityTokens.Valid.class);
    IdentityToken claims = ((IdentityTokens.Valid) check).claims();
    assertThat(claims.pseudonym()).isEqualTo("p-1");
    assertThat(claims.organisation()).isEqualTo("hospital-1");
    assertThat(claims.issuer()).isEqualTo("node-1");
    assertThat(claims.evidence()).isEqualTo("ring:ab");
    assertThat(claims.expiresAtMillis()).isEqualTo(NOW.plus(TTL).toEpochMilli());

    assertThat(refusal(other.verify(issued.token(), NOW.plus(TTL)))).isEqualTo(Code.TOKEN_EXPIRED);
    assertThat(refusal(other.verify(issued.token(), NOW.plus(Duration.ofDays(1))))).isEqualTo(Code.TOKEN_EXPIRED);
  }

  @Test
  void aTokenSignedOutsideTheConsortiumIsRefused() {
    IdentityTokens verifier = front("node-2", NODE_2, NOW);
    String impostor = front("node-1", MlDsa65.generate(), NOW).issue("p-1", "hospital-1", "ring:ab").token();
    assertThat(refusal(verifier.verify(impostor, NOW))).isEqualTo(Code.TOKEN_INVALID);
    String stranger = front("node-9", MlDsa65.generate(), NOW).issue("p-1", "hospital-1", "ring:ab").token();
    assertThat(refusal(verifier.verify(stranger, NOW))).isEqualTo(Code.TOKEN_INVALID);
  }

  @Test
  void alteredClaimsDoNotVerify() {
    IdentityTokens.Issued issued = front("node-1", NODE_1, NOW).issue("p-1", "hospital-1", "ring:ab");
    String signature = issued.token().substring(issued.token().indexOf('.') + 1);
    IdentityToken c = issued.claims();
    IdentityToken other = new IdentityToken(c.issuer(), "p-2", c.organisation(), c.evidence(), c.issuedAtMillis(),
        c.expiresAtMillis(), c.id());
    String swapped = Base64.getUrlEncoder().withoutPadding().encodeToString(other.encode()) + "." + signature;
    IdentityToken longer = new IdentityToken(c.issuer(), c.pseudonym(), c.organisation(), c.evidence(),
        c.issuedAtMillis(), c.expiresAtMillis() + 3_600_000, c.id());
    String extended = Base64.getUrlEncoder().withoutPadding().encodeToString(longer.encode()) + "." + signature;
    IdentityTokens verifier = front("node-2", NODE_2, NOW);
    assertThat(refusal(verifier.verify(swapped, NOW))).as("another patient").isEqualTo(Code.TOKEN_INVALID);
    assertThat(refusal(verifier.verify(extended, NOW.plus(TTL)))).as("a longer life").isEqualTo(Code.TOKEN_INVALID);

    char[] flipped = issued.token().toCharArray();
    flipped[flipped.length - 20] = flipped[flipped.length - 20] == 'A' ? 'B' : 'A';
    assertThat(refusal(verifier.verify(new String(flipped), NOW))).isEqualTo(Code.TOKEN_INVALID);
    for (String garbage : new String[] {"", ".", "abc", "a.b.c", issued.token() + "=", issued.token() + ".x",
        "x".repeat(20_000)}) {
      assertThat(refusal(verifier.verify(garbage, NOW))).as(garbage).isEqualTo(Code.TOKEN_INVALID);
    }
  }

  @Test
  void aMemberCannotSignALifetimeNoFrontAccepts() {
    IdentityToken twoHours = new IdentityToken("node-1", "p-1", "hospital-1", "ring:ab", NOW.toEpochMilli(),
        NOW.plus(Duration.ofHours(2)).toEpochMilli(), new byte[16]);
    String token = twoHours.wire(NODE_1.sign(IdentityToken.Signed.signedMessage(twoHours.encode())));
    assertThat(refusal(front("node-2", NODE_2, NOW).verify(token, NOW))).isEqualTo(Code.TOKEN_INVALID);

    String ahead = front("node-1", NODE_1, NOW.plus(Duration.ofMinutes(3))).issue("p-1", "hospital-1", "ring:ab")
        .token();
    assertThat(refusal(front("node-2", NODE_2, NOW).verify(ahead, NOW))).as("issued ahead of the clock")
        .isEqualTo(Code.TOKEN_INVALID);

    assertThatThrownBy(() -> new IdentityTokens("node-1", NODE_1, MEMBERS, Duration.ofHours(2), new TestClock(NOW)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token-ttl");
  }
}
