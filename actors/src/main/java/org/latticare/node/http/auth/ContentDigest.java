package org.latticare.node.http.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Content-Digest} field of RFC 9530 §2: a dictionary of digest algorithm to a byte
 * sequence holding the digest of the message content. We send {@code sha-256} and accept
 * {@code sha-256} and {@code sha-512}; members for other algorithms are ignored (RFC 9530 lets a
 * recipient ignore digests), but at least one we support must be present and all such must match,
 * so a sender cannot hide a wrong digest beside a right one.
 */
public final class ContentDigest {

  public static final String FIELD = "content-digest";

  private static final Map<String, String> SUPPORTED = Map.of("sha-256", "SHA-256", "sha-512", "SHA-512");

  private ContentDigest() {}

  /** The field value for {@code body}, e.g. {@code sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:} for none. */
  public static String of(byte[] body) {
    return "sha-256=" + StructuredField.serialiseBytes(digest("SHA-256", body));
  }

  /** Why {@code field} does not hold for {@code body}, or empty when every supported digest in it matches. */
  public static Optional<String> mismatch(String field, byte[] body) {
    Map<String, Object> members;
    try {
      members = StructuredField.parseDictionary(field);
    } catch (MalformedFieldException e) {
      return Optional.of("Content-Digest is not a structured dictionary: " + e.getMessage());
    }
    int checked = 0;
    for (Map.Entry<String, Object> member : members.entrySet()) {
      String algorithm = SUPPORTED.get(member.getKey());
      if (algorithm == null) {
        continue;
      }
      if (!(member.getValue() instanceof StructuredField.Item item) || !(item.value() instanceof byte[] claimed)) {
        return Optional.of("Content-Digest member " + member.getKey() + " is not a byte sequence");
      }
      if (!MessageDigest.isEqual(claimed, digest(algorithm, body))) {
        return Optional.of("Content-Digest " + member.getKey() + " does not match the body");
      }
      checked++;
    }
    return checked == 0 ? Optional.of("Content-Digest has neither sha-256 nor sha-512") : Optional.empty();
  }

  private static byte[] digest(String algorithm, byte[] body) {
    try {
      return MessageDigest.getInstance(algorithm).digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides " + algorithm, e);
    }
  }
}
