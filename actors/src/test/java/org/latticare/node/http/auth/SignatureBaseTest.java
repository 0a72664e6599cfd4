package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SignatureBaseTest {

  @Test
  void rebuildsRfc9421AppendixB26FromItsSignatureInput() throws Exception {
    String input = Vectors.text("rfc9421/b26-signature-input.txt");
    StructuredField.InnerList covered =
        (StructuredField.InnerList) StructuredField.parseDictionary(input).get("sig-b26");
    Map<String, String> values = Map.of(
        "date", "Tue, 20 Apr 2021 02:07:55 GMT",
        "@method", "POST",
        "@path", "/foo",
        "@authority", "example.com",
        "content-type", "application/json",
        "content-length", "18");
    List<Map.Entry<String, String>> components = covered.items().stream()
        .map(item -> Map.entry((String) item.value(), values.get((String) item.value()))).toList();

    String base = SignatureBase.of(components, covered.serialise());

    assertThat(base).isEqualTo(Vectors.text("rfc9421/b26-signature-base.txt"));
    assertThat(ed25519Verifies(base, "rfc9421/b26-signature.txt")).isTrue();
  }

  @Test
  void latticareBaseCoversMethodTargetUriAndDigestThenParams() {
    String params = SignatureParams.of(1_700_000_000L, "AAAAAAAAAAAAAAAAAAAAAA", "alice").serialise();
    assertThat(SignatureBase.forRequest("POST", "http://127.0.0.1:8080/api/x?y=1", " sha-256=:AA==: ", params))
        .isEqualTo("""
            "@method": POST
            "@target-uri": http://127.0.0.1:8080/api/x?y=1
            "content-digest": sha-256=:AA==:
            "@signature-params": ("@method" "@target-uri" "content-digest");created=1700000000;\
            nonce="AAAAAAAAAAAAAAAAAAAAAA";keyid="alice";alg="ml-dsa-65\"""");
  }

  @Test
  void aLineBreakInAComponentCannotForgeAnother() {
    assertThatThrownBy(() -> SignatureBase.forRequest("POST\n\"@target-uri\": x", "http://a/", "d", "()"))
        .isInstanceOf(MalformedFieldException.class);
  }

  private static boolean ed25519Verifies(String base, String signatureResource) throws Exception {
    byte[] spki = Base64.getDecoder().decode(Vectors.text("rfc9421/test-key-ed25519.spki.b64"));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    StructuredField.Item signature = (StructuredField.Item)
        StructuredField.parseDictionary(Vectors.text(signatureResource)).get("sig-b26");
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(key);
    verifier.update(base.getBytes(StandardCharsets.UTF_8));
    return verifier.verify((byte[]) signature.value());
  }
}
