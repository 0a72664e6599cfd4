package org.latticare.node.http.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

import org.latticare.lattice.sign.MlDsa65;

/**
 * The client's side of request signatures: for a method, target URI and body it produces
 * {@code Content-Digest} (RFC 9530), {@code Signature-Input} and {@code Signature} (RFC 9421) over
 * {@code "@method" "@target-uri" "content-digest"}, signed with the identity's ML-DSA-65 key under
 * the label {@code sig1}.
 */
public final class RequestSigner {

  public static final String LABEL = "sig1";
  private static final int NONCE_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The three headers of one signed request. */
  public record SignedHeaders(String contentDigest, String signatureInput, String signature) {
    public Map<String, String> asMap() {
      return Map.of("Content-Digest", contentDigest, "Signature-Input", signatureInput, "Signature", signature);
    }
  }

  private final String keyId;
  private final MlDsa65.KeyPair keyPair;
  private final Clock clock;
  private final Supplier<String> nonces;

  public RequestSigner(String keyId, MlDsa65.KeyPair keyPair, Clock clock, Supplier<String> nonces) {
    this.keyId = keyId;
    this.keyPair = keyPair;
    this.clock = clock;
    this.nonces = nonces;
  }

  /** Signs with the system clock and {@link #randomNonce()}. */
  public RequestSigner(String keyId, MlDsa65.KeyPair keyPair) {
    this(keyId, keyPair, Clock.systemUTC(), RequestSigner::randomNonce);
  }

  /** 16 bytes from {@link SecureRandom}, unpadded base64url: 22 characters. */
  public static String randomNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
  }

  /** The headers for a request to the absolute {@code target}, exactly as it will be sent. */
  public SignedHeaders sign(String method, URI target, byte[] body) {
    String contentDigest = ContentDigest.of(body);
    SignatureParams params = SignatureParams.of(clock.instant().getEpochSecond(), nonces.get(), keyId);
    String signatureParams = params.serialise();
    String base = SignatureBase.forRequest(method, TargetUri.of(target), contentDigest, signatureParams);
    byte[] signature = keyPair.sign(base.getBytes(StandardCharsets.UTF_8));
    return new SignedHeaders(contentDigest, LABEL + "=" + signatureParams,
        LABEL + "=" + StructuredField.serialiseBytes(signature));
  }

  /** A JDK {@link HttpRequest} carrying the body and its signature; add a timeout or more headers to the builder. */
  public HttpRequest.Builder request(String method, URI target, byte[] body, String contentType) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(target)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body.length > 0) {
      builder.header("Content-Type", contentType);
    }
    sign(method, target, body).asMap().forEach(builder::header);
    return builder;
  }
}
