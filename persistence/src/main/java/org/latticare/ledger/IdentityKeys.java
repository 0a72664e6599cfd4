package org.latticare.ledger;

import org.latticare.lattice.sign.MlDsa65;
import java.util.Arrays;
import java.util.Optional;

/**
 * The public keys an identity carries on chain, in its {@code publicKey} field; the layout says which:
 * <ul>
 *   <li>version 1: the ML-DSA-65 key alone, its 1,952 raw bytes (what every identity enrolled before
 *       records were encrypted carries: its encoding, and so every hash and signature over it, is kept);</li>
 *   <li>version 2: {@code 0x02} ‖ the ML-DSA-65 key (1,952 bytes) ‖ an ML-KEM-768 encapsulation key
 *       (1,184 bytes), to which record keys are wrapped for this identity.</li>
 * </ul>
 * Nothing else decodes: the ledger refuses to enrol an identity whose keys do not ({@code BAD_KEY}).
 */
public record IdentityKeys(byte[] signing, Optional<byte[]> kem) {

  public static final int VERSION_2 = 2;
  public static final int KEM_KEY_BYTES = 1184;
  public static final int VERSION_2_BYTES = 1 + MlDsa65.PUBLIC_KEY_BYTES + KEM_KEY_BYTES;

  public IdentityKeys {
    if (signing.length != MlDsa65.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an ML-DSA-65 public key is " + MlDsa65.PUBLIC_KEY_BYTES + " bytes");
    }
    if (kem.isPresent() && kem.get().length != KEM_KEY_BYTES) {
      throw new IllegalArgumentException("an ML-KEM-768 public key is " + KEM_KEY_BYTES + " bytes");
    }
    signing = signing.clone();
    kem = kem.map(byte[]::clone);
  }

  /** Version 2: both keys. */
  public static IdentityKeys of(byte[] signing, byte[] kem) {
    return new IdentityKeys(signing, Optional.of(kem));
  }

  /** The keys in {@code encoded}, or empty if it is neither layout. */
  public static Optional<IdentityKeys> decode(byte[] encoded) {
    if (encoded == null) {
      return Optional.empty();
    }
    if (encoded.length == MlDsa65.PUBLIC_KEY_BYTES) {
      return Optional.of(new IdentityKeys(encoded, Optional.empty()));
    }
    if (encoded.length == VERSION_2_BYTES && encoded[0] == VERSION_2) {
      return Optional.of(of(Arrays.copyOfRange(encoded, 1, 1 + MlDsa65.PUBLIC_KEY_BYTES),
          Arrays.copyOfRange(encoded, 1 + MlDsa65.PUBLIC_KEY_BYTES, VERSION_2_BYTES)));
    }
    return Optional.empty();
  }

  /** The layout this identity's keys take on chain: version 1 without a KEM key, version 2 with one. */
  public byte[] encode() {
    if (kem.isEmpty()) {
      return signing.clone();
    }
    byte[] out = new byte[VERSION_2_BYTES];
    out[0] = VERSION_2;
    System.arraycopy(signing, 0, out, 1, MlDsa65.PUBLIC_KEY_BYTES);
    System.arraycopy(kem.get(), 0, out, 1 + MlDsa65.PUBLIC_KEY_BYTES, KEM_KEY_BYTES);
    return out;
  }

  @Override
  public byte[] signing() {
    return signing.clone();
  }

  @Override
  public Optional<byte[]> kem() {
    return kem.map(byte[]::clone);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdentityKeys k && Arrays.equals(signing, k.signing)
        && Arrays.equals(kem.orElse(null), k.kem.orElse(null));
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(signing) + Arrays.hashCode(kem.orElse(null));
  }

  @Override
  public String toString() {
    return "IdentityKeys[version " + (kem.isEmpty() ? 1 : 2) + "]";
  }
}
