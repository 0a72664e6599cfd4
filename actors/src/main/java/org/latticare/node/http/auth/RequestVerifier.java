package org.latticare.node.http.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.http.auth.AuthFailure.Code;

/**
 * Checks an RFC 9421 request signature made by {@link RequestSigner}, in two steps so the server
 * spends as little as it can on a bad request:
 * <ol>
 *   <li>{@link #screen} — no key needed: the headers parse, the components {@link SignatureBase#COVERED}
 *       are all covered, {@code alg} is ML-DSA-65, {@code created} is inside the window, the nonce is
 *       not already spent and {@code Content-Digest} matches the body;</li>
 *   <li>{@link #conclude} — with the identity's public key, if the key id names one: the ML-DSA-65
 *       signature over the signature base, and only then the nonce is recorded, so a forged request
 *       can never spend someone else's nonce.</li>
 * </ol>
 */
public final class RequestVerifier {

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
  /** 16 random bytes in unpadded base64url: a nonce shorter than this is too easy to collide. */
  public static final int MIN_NONCE_CHARS = 22;

  /** The result of {@link #screen}: {@link Passed} or an {@link AuthFailure}. */
  public sealed interface Screening permits Passed, AuthFailure {}

  /** A request whose cheap checks passed: what {@link #conclude} needs once the key is found. */
  public record Passed(SignatureParams params, byte[] signatureBase, byte[] signature) implements Screening {
    public String keyId() {
      return params.keyId();
    }
  }

  private final Duration window;
  private final NonceCache nonces;

  /** The window is the cache's: an entry must live as long as its request could be fresh. */
  public RequestVerifier(NonceCache nonces) {
    this.window = nonces.window();
    this.nonces = nonces;
  }

  public Duration window() {
    return window;
  }

  /** Both steps at once, for callers that already hold the key (empty when the key id is not enrolled). */
  public Verdict verify(ReceivedRequest request, Optional<byte[]> publicKey, Instant now) {
    Screening screening = screen(request, now);
    return screening instanceof Passed passed ? conclude(passed, publicKey, now) : (AuthFailure) screening;
  }

  public Screening screen(ReceivedRequest request, Instant now) {
    if (request.signatureInput().isEmpty() || request.signature().isEmpty()) {
      return AuthFailure.of(Code.UNSIGNED, "the request carries no Signature and Signature-Input");
    }
    Map<String, Object> inputs;
    Map<String, Object> signatures;
    try {
      inputs = StructuredField.parseDictionary(request.signatureInput().get());
      signatures = StructuredField.parseDictionary(request.signature().get());
    } catch (MalformedFieldException e) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "Signature or Signature-Input does not parse: " + e.getMessage());
    }
    if (inputs.size() != 1) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "Signature-Input must hold exactly one signature");
    }
    Map.Entry<String, Object> input = inputs.entrySet().iterator().next();
    if (!(input.getValue() instanceof StructuredField.InnerList covered)) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "Signature-Input " + input.getKey() + " is not an inner list");
    }
    if (!(signatures.get(input.getKey()) instanceof StructuredField.Item item) || !(item.value() instanceof byte[] signature)) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "Signature has no byte sequence labelled " + input.getKey());
    }
    SignatureParams params;
    try {
      params = SignatureParams.from(covered);
    } catch (MalformedFieldException e) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, e.getMessage());
    }
    if (!params.components().containsAll(SignatureBase.COVERED) || params.components().size() != SignatureBase.COVERED.size()) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "the signature must cover exactly " + SignatureBase.COVERED);
    }
    if (!params.alg().equals(SignatureParams.ALG)) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "alg must be " + SignatureParams.ALG + ", not " + params.alg());
    }
    if (params.nonce().length() < MIN_NONCE_CHARS) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, "the nonce must carry at least 16 random bytes");
    }
    long age = now.getEpochSecond() - params.created();
    if (Math.abs(age) > window.toSeconds()) {
      return AuthFailure.of(Code.STALE, "created " + age + " s " + (age < 0 ? "ahead of" : "before")
          + " the server's clock; the window is ±" + window.toSeconds() + " s");
    }
    if (nonces.seen(params.keyId(), params.nonce(), now)) {
      return AuthFailure.of(Code.REPLAYED, "this nonce was already used by " + params.keyId());
    }
    if (request.contentDigest().isEmpty()) {
      return AuthFailure.of(Code.DIGEST_MISMATCH, "the request carries no Content-Digest");
    }
    Optional<String> mismatch = ContentDigest.mismatch(request.contentDigest().get(), request.body());
    if (mismatch.isPresent()) {
      return AuthFailure.of(Code.DIGEST_MISMATCH, mismatch.get());
    }
    String base;
    try {
      base = baseFor(params, request, covered.serialise());
    } catch (MalformedFieldException e) {
      return AuthFailure.of(Code.MALFORMED_SIGNATURE, e.getMessage());
    }
    return new Passed(params, base.getBytes(StandardCharsets.UTF_8), signature);
  }

  /** Verifies the signature under {@code publicKey} (empty: the key id is not enrolled) and spends the nonce. */
  public Verdict conclude(Passed passed, Optional<byte[]> publicKey, Instant now) {
    if (publicKey.isEmpty()) {
      return AuthFailure.of(Code.UNKNOWN_KEY, "no enrolled identity has the key id " + passed.keyId());
    }
    if (!MlDsa65.verify(publicKey.get(), passed.signatureBase(), passed.signature())) {
      return AuthFailure.of(Code.BAD_SIGNATURE, "the signature does not verify under " + passed.keyId() + "'s key");
    }
    SignatureParams params = passed.params();
    return switch (nonces.record(params.keyId(), params.nonce(), Instant.ofEpochSecond(params.created()), now)) {
      case RECORDED -> new Verdict.Accepted(params.keyId());
      case REPLAYED -> AuthFailure.of(Code.REPLAYED, "this nonce was already used by " + params.keyId());
      case FULL -> AuthFailure.of(Code.BUSY, "too many recent requests to guard against replay; retry shortly");
    };
  }

  // The components are in the order the signer listed them: the base must follow that order.
  private static String baseFor(SignatureParams params, ReceivedRequest request, String signatureParams) {
    List<Map.Entry<String, String>> components = new ArrayList<>();
    for (String component : params.components()) {
      components.add(Map.entry(component, switch (component) {
        case "@method" -> request.method();
        case "@target-uri" -> request.targetUri();
        case ContentDigest.FIELD -> request.contentDigest().orElseThrow().strip();
        default -> throw new MalformedFieldException("unsupported component " + component);
      }));
    }
    return SignatureBase.of(components, signatureParams);
  }
}
