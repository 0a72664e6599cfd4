package org.latticare.node.http.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.http.auth.AuthFailure.Code;

/**
 * Issues and checks {@link IdentityToken}s. A node issues them under its own ML-DSA-65 node key, so that every
 * front of the consortium can check one against the member keys of the genesis block without asking anyone:
 * a token issued by one front opens the patient's views on any other, until it expires. A token is a bearer
 * credential for reading the patient's own views only ({@link SignedRequests} keeps it there); it is never
 * stored, so it cannot be revoked, and so it lives minutes ({@code latticare.identity.token-ttl}, at most
 * {@link #MAX_LIFETIME}).
 */
public final class IdentityTokens {

  /** No front accepts a token that claims to live longer, whatever the issuer was configured with. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(1);
  /** How far ahead of this front's clock an issuer's clock may be. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The outcome of {@link #verify}: {@link Valid} or an {@link AuthFailure}. */
  public sealed interface TokenCheck permits Valid, AuthFailure {}

  /** A token whose signature, issuer and lifetime hold. */
  public record Valid(IdentityToken claims) implements TokenCheck {}

  /** A token issued: its wire form (the {@code Authorization: Bearer} value) and its claims. */
  public record Issued(String token, IdentityToken claims) {}

  private final String issuer;
  private final MlDsa65.KeyPair key;
  private final Map<String, byte[]> memberKeys;
  private final Duration lifetime;
  private final Clock clock;

  /**
   * @param issuer     this node's id, as the genesis block lists it with {@code key}'s public key
   * @param memberKeys every consortium member's node id and ML-DSA-65 public key
   */
  public IdentityTokens(String issuer, MlDsa65.KeyPair key, Map<String, byte[]> memberKeys, Duration lifetime,
      Clock clock) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("identity.token-ttl must be positive and at most " + MAX_LIFETIME.toMinutes()
          + " minutes, not " + lifetime);
    }
    this.issuer = issuer;
    this.key = key;
    this.memberKeys = Map.copyOf(memberKeys);
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** The tokens of node {@code nodeId} of the consortium {@code founding} founded. */
  public static IdentityTokens of(String nodeId, MlDsa65.KeyPair key, TxBody.ConsortiumFounded founding,
      Duration lifetime) {
    Map<String, byte[]> keys = new HashMap<>();
    for (TxBody.Member member : founding.members()) {
      keys.put(member.nodeId(), member.publicKey());
    }
    return new IdentityTokens(nodeId, key, keys, lifetime, Clock.systemUTC());
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A token for {@code pseudonym}, of {@code organisation}, on {@code evidence}, from now for the lifetime. */
  public Issued issue(String pseudonym, String organisation, String evidence) {
    long now = clock.millis();
    byte[] id = new byte[IdentityToken.ID_BYTES];
    RANDOM.nextBytes(id);
    IdentityToken claims = new IdentityToken(issuer, pseudonym, organisation, evidence, now, now + lifetime.toMillis(),
        id);
    byte[] signature = key.sign(IdentityToken.Signed.signedMessage(claims.encode()));
    return new Issued(claims.wire(signature), claims);
  }

  /**
   * Whether {@code token} was signed by a member's node key over claims that hold at {@code now}: issued no
   * later than {@link #CLOCK_SKEW} ahead, living at most {@link #MAX_LIFETIME}, not yet expired. ML-DSA-65
   * verification: call it off the threads that serve HTTP.
   */
  public TokenCheck verify(String token, Instant now) {
    Optional<IdentityToken.Signed> parsed = IdentityToken.parse(token);
    if (parsed.isEmpty()) {
      return AuthFailure.of(Code.TOKEN_INVALID, "the bearer token is not a Latticare identity token");
    }
    IdentityToken claims = parsed.get().claims();
    byte[] issuerKey = memberKeys.get(claims.issuer());
    if (issuerKey == null || !MlDsa65.verify(issuerKey, parsed.get().signedMessage(), parsed.get().signature())) {
      return AuthFailure.of(Code.TOKEN_INVALID, "the bearer token is not signed by a node of the consortium");
    }
    long lived = claims.expiresAtMillis() - claims.issuedAtMillis();
    if (lived <= 0 || lived > MAX_LIFETIME.toMillis()
        || claims.issuedAtMillis() > now.plus(CLOCK_SKEW).toEpochMilli()) {
      return AuthFailure.of(Code.TOKEN_INVALID, "the bearer token claims a lifetime no front accepts");
    }
    if (now.toEpochMilli() >= claims.expiresAtMillis()) {
      return AuthFailure.of(Code.TOKEN_EXPIRED, "the bearer token expired at " + Instant.ofEpochMilli(
          claims.expiresAtMillis()) + "; prove the identity again");
    }
    return new Valid(claims);
  }
}
