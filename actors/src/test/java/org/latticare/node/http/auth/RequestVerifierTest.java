package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.http.auth.AuthFailure.Code;
import org.latticare.node.http.auth.RequestSigner.SignedHeaders;

class RequestVerifierTest {

  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private static final MlDsa65.KeyPair ALICE = MlDsa65.KeyPair.fromSeed(new byte[32]);
  private static final MlDsa65.KeyPair MALLORY = MlDsa65.generate();
  private static final URI TARGET = URI.create("http://127.0.0.1:8080/api/x?y=1");
  private static final byte[] BODY = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);

  private final RequestVerifier verifier = new RequestVerifier(new NonceCache(Duration.ofSeconds(60)));

  private static SignedHeaders sign(MlDsa65.KeyPair key, Instant at) {
    return new RequestSigner("alice", key, Clock.fixed(at, ZoneOffset.UTC), RequestSigner::randomNonce)
        .sign("POST", TARGET, BODY);
  }

  private static ReceivedRequest received(SignedHeaders headers, byte[] body) {
    return new ReceivedRequest("POST", TargetUri.of(TARGET), Optional.of(headers.contentDigest()),
        Optional.of(headers.signatureInput()), Optional.of(headers.signature()), body);
  }

  private Verdict verify(ReceivedRequest request) {
    return verifier.verify(request, Optional.of(ALICE.publicKey()), NOW);
  }

  private static Code code(Verdict verdict) {
    assertThat(verdict).isInstanceOf(AuthFailure.class);
    return ((AuthFailure) verdict).code();
  }

  @Test
  void aSignedRequestIsAcceptedOnceAsItsKeyId() {
    SignedHeaders headers = sign(ALICE, NOW);
    assertThat(headers.signatureInput()).startsWith("sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=");
    assertThat(verify(received(headers, BODY))).isEqualTo(new Verdict.Accepted("alice"));
    assertThat(code(verify(received(headers, BODY)))).isEqualTo(Code.REPLAYED);
  }

  @Test
  void anUnsignedRequestIsRefused() {
    ReceivedRequest bare = new ReceivedRequest("POST", TargetUri.of(TARGET), Optional.empty(), Optional.empty(), Optional.empty(), BODY);
    assertThat(code(verify(bare))).isEqualTo(Code.UNSIGNED);
  }

  @Test
  void createdMustBeWithinTheWindowEitherSide() {
    assertThat(verify(received(sign(ALICE, NOW.minusSeconds(60)), BODY))).isInstanceOf(Verdict.Accepted.class);
    assertThat(code(verify(received(sign(ALICE, NOW.minusSeconds(61)), BODY)))).isEqualTo(Code.STALE);
    assertThat(code(verify(received(sign(ALICE, NOW.plusSeconds(61)), BODY)))).isEqualTo(Code.STALE);
  }

  @Test
  void aChangedBodyOrMissingDigestIsADigestMismatch() {
    SignedHeaders headers = sign(ALICE, NOW);
    assertThat(code(verify(received(headers, "{}".getBytes(StandardCharsets.UTF_8))))).isEqualTo(Code.DIGEST_MISMATCH);
    ReceivedRequest noDigest = new ReceivedRequest("POST", TargetUri.of(TARGET), Optional.empty(),
        Optional.of(headers.signatureInput()), Optional.of(headers.signature()), BODY);
    assertThat(code(verify(noDigest))).isEqualTo(Code.DIGEST_MISMATCH);
  }

  @Test
  void aDigestRecomputedForATamperedBodyBreaksTheSignature() {
    SignedHeaders headers = sign(ALICE, NOW);
    byte[] tampered = "{\"hello\": \"mallory\"}".getBytes(StandardCharsets.UTF_8);
    SignedHeaders forged = new SignedHeaders(ContentDigest.of(tampered), headers.signatureInput(), headers.signature());
    assertThat(code(verify(received(forged, tampered)))).isEqualTo(Code.BAD_SIGNATURE);
  }

  @Test
  void anotherMethodOrTargetBreaksTheSignature() {
    SignedHeaders headers = sign(ALICE, NOW);
    ReceivedRequest put = new ReceivedRequest("PUT", TargetUri.of(TARGET), Optional.of(headers.contentDigest()),
        Optional.of(headers.signatureInput()), Optional.of(headers.signature()), BODY);
    assertThat(code(verify(put))).isEqualTo(Code.BAD_SIGNATURE);
    ReceivedRequest elsewhere = new ReceivedRequest("POST", "http://127.0.0.1:8080/api/x?y=2",
        Optional.of(headers.contentDigest()), Optional.of(headers.signatureInput()), Optional.of(headers.signature()), BODY);
    assertThat(code(verify(elsewhere))).isEqualTo(Code.BAD_SIGNATURE);
  }

  @Test
  void aForgedRequestDoesNotSpendTheNonce() {
    SignedHeaders genuine = sign(ALICE, NOW);
    SignedHeaders forged = new SignedHeaders(genuine.contentDigest(), genuine.signatureInput(),
        "sig1=" + StructuredField.serialiseBytes(MALLORY.sign(new byte[] {1})));
    assertThat(code(verify(received(forged, BODY)))).isEqualTo(Code.BAD_SIGNATURE);
    assertThat(verify(received(genuine, BODY))).isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void anUnknownKeyIdOrAnotherIdentitysKeyIsRefused() {
    assertThat(code(verifier.verify(received(sign(ALICE, NOW), BODY), Optional.empty(), NOW))).isEqualTo(Code.UNKNOWN_KEY);
    assertThat(code(verify(received(sign(MALLORY, NOW), BODY)))).isEqualTo(Code.BAD_SIGNATURE);
  }

  @Test
  void malformedOrIncompleteSignaturesAreRefusedBeforeAnyKeyIsNeeded() {
    SignedHeaders good = sign(ALICE, NOW);
    String params = good.signatureInput().substring(good.signatureInput().indexOf(')') + 1);
    String[] badInputs = {
        "sig1=(\"@method\" \"@target-uri\")" + params,
        "sig1=(\"@method\" \"@target-uri\" \"content-digest\" \"content-type\")" + params,
        "sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=1;keyid=\"alice\"",
        good.signatureInput().replace("ml-dsa-65", "ed25519"),
        good.signatureInput().replaceFirst("nonce=\"[^\"]*\"", "nonce=\"short\""),
        good.signatureInput().replace("sig1=", "other="),
        "sig1=:AAAA:",
        "sig1=(\"@method\"",
    };
    for (String input : badInputs) {
      SignedHeaders headers = new SignedHeaders(good.contentDigest(), input, good.signature());
      Verdict verdict = verifier.verify(received(headers, BODY), Optional.empty(), NOW);
      assertThat(code(verdict)).as(input).isEqualTo(Code.MALFORMED_SIGNATURE);
    }
    assertThat(code(verify(received(new SignedHeaders(good.contentDigest(), good.signatureInput(), "sig1=AAAA"), BODY))))
        .isEqualTo(Code.MALFORMED_SIGNATURE);
  }

  @Test
  void aFullNonceCacheAnswersBusyAfterAValidSignature() {
    RequestVerifier tiny = new RequestVerifier(new NonceCache(Duration.ofSeconds(60), 1));
    assertThat(tiny.verify(received(sign(ALICE, NOW), BODY), Optional.of(ALICE.publicKey()), NOW)).isInstanceOf(Verdict.Accepted.class);
    Verdict busy = tiny.verify(received(sign(ALICE, NOW), BODY), Optional.of(ALICE.publicKey()), NOW);
    assertThat(code(busy)).isEqualTo(Code.BUSY);
    assertThat(((AuthFailure) busy).httpStatus()).isEqualTo(503);
  }
}
