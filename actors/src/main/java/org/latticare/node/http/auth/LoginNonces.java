package org.latticare.node.http.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Single-use nonces for logging in with a non-interactive proof (CRYPTO.md section 6, "Freshness"): the
 * proof's context carries a nonce this front issued, so a proof captured once is worth nothing later.
 *
 * <p>Issuing costs no memory: a nonce is its expiry and 16 random bytes, authenticated with HMAC-SHA3-256
 * under a key this front draws when it starts and never shares. Only spent nonces are remembered, until
 * they expire, in a bounded {@link NonceCache} that refuses ({@link Problem#FULL}) rather than forget a live
 * one; and only a valid proof spends one, so filling the store takes proofs by enrolled patients, not
 * requests. A nonce is good on the front that issued it, and only until that front restarts (its key is
 * gone, with the memory of what was spent): a nonce can never be spent twice.
 */
public final class LoginNonces {

  private static final byte[] DOMAIN = "latticare/login-nonce/v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int RANDOM_BYTES = 16;
  private static final int MAC_BYTES = 32;
  private static final int NONCE_BYTES = 8 + RANDOM_BYTES + MAC_BYTES;
  private static final String SPENT_BY = "login";

  /** Why a nonce cannot be spent. */
  public enum Problem {
    /** Not a nonce this front issued (malformed, altered, from another front or from before a restart). */
    INVALID,
    EXPIRED,
    /** Already spent by a proof: a replay. */
    USED,
    /** The store of spent nonces is full of live ones: try again shortly. */
    FULL
  }

  /** A nonce and when it stops being accepted. */
  public record Issued(String nonce, long expiresAtMillis) {}

  private final SecureRandom random = new SecureRandom();
  private final byte[] key = new byte[32];
  private final Duration ttl;
  private final NonceCache spent;
  private final Clock clock;

  public LoginNonces(Duration ttl, int maxSpent, Clock clock) {
    this.ttl = ttl;
    this.spent = new NonceCache(ttl, maxSpent);
    this.clock = clock;
    random.nextBytes(key);
  }

  /**
   * What a login proof binds ({@code NonInteractiveProof}'s context): this nonce and the patient it logs in.
   * The nonce has no line break, so the two cannot be confused however the pseudonym is spelt.
   */
  public static byte[] context(String nonce, String pseudonym) {
    return ("latticare/login/v1\n" + nonce + "\n" + pseudonym).getBytes(StandardCharsets.UTF_8);
  }

  public Issued issue() {
    long expiresAt = clock.millis() + ttl.toMillis();
    byte[] fresh = new byte[RANDOM_BYTES];
    random.nextBytes(fresh);
    ByteBuffer nonce = ByteBuffer.allocate(NONCE_BYTES).putLong(expiresAt).put(fresh);
    nonce.put(mac(Arrays.copyOf(nonce.array(), 8 + RANDOM_BYTES)));
    return new Issued(Base64.getUrlEncoder().withoutPadding().encodeToString(nonce.array()), expiresAt);
  }

  /** Why {@code nonce} cannot be spent now (it is not spent by this): a cheap check before a proof is verified. */
  public Optional<Problem> check(String nonce) {
    long expiresAt;
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(nonce);
      if (bytes.length != NONCE_BYTES || nonce.contains("=")
          || !MessageDigest.isEqual(mac(Arrays.copyOf(bytes, 8 + RANDOM_BYTES)),
              Arrays.copyOfRange(bytes, 8 + RANDOM_BYTES, NONCE_BYTES))) {
        return Optional.of(Problem.INVALID);
      }
      expiresAt = ByteBuffer.wrap(bytes).getLong();
    } catch (IllegalArgumentException notBase64url) {
      return Optional.of(Problem.INVALID);
    }
    Instant now = clock.instant();
    if (now.toEpochMilli() >= expiresAt) {
      return Optional.of(Problem.EXPIRED);
    }
    return spent.seen(SPENT_BY, nonce, now) ? Optional.of(Problem.USED) : Optional.empty();
  }

  /** Spends {@code nonce}, which {@link #check} passed: empty if this call spent it, else why not. */
  public Optional<Problem> spend(String nonce) {
    Optional<Problem> problem = check(nonce);
    if (problem.isPresent()) {
      return problem;
    }
    long expiresAt = ByteBuffer.wrap(Base64.getUrlDecoder().decode(nonce)).getLong();
    return switch (spent.record(SPENT_BY, nonce, Instant.ofEpochMilli(expiresAt).minus(ttl), clock.instant())) {
      case RECORDED -> Optional.empty();
      case REPLAYED -> Optional.of(Problem.USED);
      case FULL -> Optional.of(Problem.FULL);
    };
  }

  private byte[] mac(byte[] message) {
    HMac hmac = new HMac(new SHA3Digest(256));
    hmac.init(new KeyParameter(key));
    hmac.update(DOMAIN, 0, DOMAIN.length);
    hmac.update(message, 0, message.length);
    byte[] out = new byte[MAC_BYTES];
    hmac.doFinal(out, 0);
    return out;
  }
}
