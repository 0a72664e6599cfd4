package org.latticare.node.http.auth;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The claims of a short-lived bearer token that a front issues once a patient has proven its identity (a ring
 * session that ended {@code IDENTIFIED}, or a non-interactive proof over a fresh nonce): who issued it (a node
 * of the consortium), for which patient, on what evidence, and from when until when.
 *
 * <p>Canonical encoding, what the issuing node signs with ML-DSA-65 (behind {@link #DOMAIN}):
 * <pre>
 *   u8 version (1) ‖ str issuer ‖ str pseudonym ‖ str organisation ‖ str evidence
 *   ‖ i64 issued at (ms) ‖ i64 expires at (ms) ‖ id (16 random bytes)
 * </pre>
 * where {@code str} is a u16 length and that many bytes of UTF-8 (at most {@link #MAX_FIELD_BYTES}). On the
 * wire: {@code base64url(claims) "." base64url(signature)}, unpadded, about 4.5 kB: it fits the
 * {@code Authorization} header next to nothing else, as a request signature fits {@code Signature}.
 *
 * @param evidence what the patient proved: {@code ring:<IdentityVerified transaction hash>} or
 *                 {@code nizk:<nonce>}
 */
public record IdentityToken(String issuer, String pseudonym, String organisation, String evidence,
    long issuedAtMillis, long expiresAtMillis, byte[] id) {

  /** What a token's signature covers before its claims, so that no other message of a node key can pass for one. */
  static final byte[] DOMAIN = "latticare/identity-token/v1\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int ID_BYTES = 16;
  static final int MAX_FIELD_BYTES = 256;
  /** Longer than any token this encoding can produce: a longer header value is refused before it is decoded. */
  static final int MAX_TOKEN_CHARS = 8192;

  public IdentityToken {
    if (id.length != ID_BYTES) {
      throw new IllegalArgumentException("a token id is " + ID_BYTES + " bytes");
    }
    id = id.clone();
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  /** A token as received: its claims, the exact bytes they were decoded from, and the signature over them. */
  record Signed(IdentityToken claims, byte[] encodedClaims, byte[] signature) {
    byte[] signedMessage() {
      return signedMessage(encodedClaims);
    }

    static byte[] signedMessage(byte[] encodedClaims) {
      return ByteBuffer.allocate(DOMAIN.length + encodedClaims.length).put(DOMAIN).put(encodedClaims).array();
    }
  }

  public byte[] encode() {
    byte[][] fields = {utf8(issuer), utf8(pseudonym), utf8(organisation), utf8(evidence)};
    int size = 1 + 8 + 8 + ID_BYTES;
    for (byte[] field : fields) {
      size += 2 + field.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put((byte) VERSION);
    for (byte[] field : fields) {
      out.putShort((short) field.length).put(field);
    }
    return out.putLong(issuedAtMillis).putLong(expiresAtMillis).put(id).array();
  }

  /** The token as an {@code Authorization: Bearer} value, with {@code signature} over its claims. */
  String wire(byte[] signature) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString(encode()) + "." + base64.encodeToString(signature);
  }

  /** The claims and signature of a token in its wire form; empty if it is not one (nothing is verified here). */
  static Optional<Signed> parse(String token) {
    int dot = token.indexOf('.');
    if (token.length() > MAX_TOKEN_CHARS || dot < 0 || token.indexOf('.', dot + 1) >= 0 || token.contains("=")) {
      return Optional.empty();
    }
    try {
      byte[] claims = Base64.getUrlDecoder().decode(token.substring(0, dot));
      byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      return decode(claims).map(decoded -> new Signed(decoded, claims, signature));
    } catch (IllegalArgumentException notBase64url) {
      return Optional.empty();
    }
  }

  static Optional<IdentityToken> decode(byte[] claims) {
    try {
      ByteBuffer in = ByteBuffer.wrap(claims);
      if (in.get() != VERSION) {
        return Optional.empty();
      }
      String issuer = string(in);
      String pseudonym = string(in);
      String organisation = string(in);
      String evidence = string(in);
      long issuedAt = in.getLong();
      long expiresAt = in.getLong();
      byte[] id = new byte[ID_BYTES];
      in.get(id);
      return in.hasRemaining() ? Optional.empty()
          : Optional.of(new IdentityToken(issuer, pseudonym, organisation, evidence, issuedAt, expiresAt, id));
    } catch (BufferUnderflowException | CharacterCodingException | IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  private static String string(ByteBuffer in) throws CharacterCodingException {
    int length = in.getShort() & 0xffff;
    if (length > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException("a token field is at most " + MAX_FIELD_BYTES + " bytes");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    CharBuffer text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
    return text.toString();
  }

  private static byte[] utf8(String field) {
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException("a token field is at most " + MAX_FIELD_BYTES + " bytes: " + field);
    }
    return bytes;
  }
}
