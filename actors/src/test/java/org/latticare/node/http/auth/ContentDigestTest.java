package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ContentDigestTest {

  private static final byte[] HELLO = Vectors.bytes("rfc9530/hello-world.json");
  // RFC 9530 Appendix B.1, "Server Returns Full Representation Data"
  private static final String HELLO_SHA_256 = "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:";
  // RFC 9530 §2, the sha-512 member of its example
  private static final String HELLO_SHA_512 =
      "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:";

  @Test
  void producesTheRfc9530ExampleForHelloWorld() {
    assertThat(ContentDigest.of(HELLO)).isEqualTo(HELLO_SHA_256);
  }

  @Test
  void anEmptyBodyStillHasADigest() {
    // RFC 9530 Appendix B.2, "Server Returns No Representation Data"
    assertThat(ContentDigest.of(new byte[0])).isEqualTo("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
  }

  @Test
  void acceptsSha256Sha512AndBoth() {
    assertThat(ContentDigest.mismatch(HELLO_SHA_256, HELLO)).isEmpty();
    assertThat(ContentDigest.mismatch(HELLO_SHA_512, HELLO)).isEmpty();
    assertThat(ContentDigest.mismatch(HELLO_SHA_256 + ", " + HELLO_SHA_512, HELLO)).isEmpty();
  }

  @Test
  void rfc9530Section2ExampleIsRefusedBecauseItsSha256MemberIsNotOfThatBody() {
    // The §2 example pairs a sha-512 of the body with a sha-256 of its Brotli encoding (Appendix B.4):
    // with both supported, the wrong one must not hide behind the right one.
    String section2 = "sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:, " + HELLO_SHA_512;
    assertThat(ContentDigest.mismatch(section2, HELLO)).hasValueSatisfying(m -> assertThat(m).contains("sha-256"));
  }

  @Test
  void ignoresUnknownAlgorithmsButNeedsOneItKnows() {
    assertThat(ContentDigest.mismatch("md5=:XrY7u+Ae7tCTyyK7j1rNww==:, " + HELLO_SHA_256, HELLO)).isEmpty();
    assertThat(ContentDigest.mismatch("md5=:XrY7u+Ae7tCTyyK7j1rNww==:", HELLO)).isPresent();
    assertThat(ContentDigest.mismatch("", HELLO)).isPresent();
  }

  @Test
  void refusesAnotherBodyAndMalformedFields() {
    assertThat(ContentDigest.mismatch(HELLO_SHA_256, "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8))).isPresent();
    assertThat(ContentDigest.mismatch("sha-256=RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=", HELLO)).isPresent();
    assertThat(ContentDigest.mismatch("sha-256=\"RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=\"", HELLO)).isPresent();
    assertThat(ContentDigest.mismatch(HELLO_SHA_256 + ",", HELLO)).isPresent();
    assertThat(ContentDigest.mismatch("SHA-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", HELLO)).isPresent();
  }
}
