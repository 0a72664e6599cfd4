package org.latticare.ledger;

import org.latticare.lattice.sign.MlDsa65;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class IdentityKeysTest {

  private final SecureRandom random = new SecureRandom();

  private byte[] bytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  @Test
  void aBareSigningKeyIsVersionOneAndDecodesToItself() {
    byte[] signing = MlDsa65.generate().publicKey();
    IdentityKeys keys = IdentityKeys.decode(signing).orElseThrow();
    assertThat(keys.signing()).isEqualTo(signing);
    assertThat(keys.kem()).isEmpty();
    assertThat(keys.encode()).isEqualTo(signing);
  }

  @Test
  void versionTwoCarriesBothKeysAndRoundTrips() {
    byte[] signing = MlDsa65.generate().publicKey();
    byte[] kem = bytes(IdentityKeys.KEM_KEY_BYTES);
    byte[] encoded = IdentityKeys.of(signing, kem).encode();
    assertThat(encoded).hasSize(IdentityKeys.VERSION_2_BYTES);
    assertThat(encoded[0]).isEqualTo((byte) 2);
    IdentityKeys decoded = IdentityKeys.decode(encoded).orElseThrow();
    assertThat(decoded.signing()).isEqualTo(signing);
    assertThat(decoded.kem()).hasValueSatisfying(k -> assertThat(k).isEqualTo(kem));
    assertThat(decoded).isEqualTo(IdentityKeys.of(signing, kem));
  }

  @Test
  void anyOtherLayoutDecodesToNothing() {
    byte[] v2 = IdentityKeys.of(MlDsa65.generate().publicKey(), bytes(IdentityKeys.KEM_KEY_BYTES)).encode();
    byte[] wrongVersion = v2.clone();
    wrongVersion[0] = 3;
    for (byte[] bad : new byte[][] {new byte[0], new byte[] {1}, bytes(MlDsa65.PUBLIC_KEY_BYTES - 1),
        bytes(MlDsa65.PUBLIC_KEY_BYTES + 1), Arrays.copyOf(v2, v2.length - 1), Arrays.copyOf(v2, v2.length + 1),
        wrongVersion}) {
      assertThat(IdentityKeys.decode(bad)).as("%d bytes", bad.length).isEmpty();
    }
    assertThat(IdentityKeys.decode(null)).isEmpty();
  }
}
