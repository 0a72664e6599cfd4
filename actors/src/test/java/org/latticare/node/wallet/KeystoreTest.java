package org.latticare.node.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.node.wallet.Keystore.KeystoreException;
import org.latticare.zkp.nizk.NonInteractiveProof;

class KeystoreTest {

  /** Cheap enough for a unit test; the command line's default is 64 MiB. */
  private static final Keystore.Cost CHEAP = new Keystore.Cost(1024, 1, 1);
  private static final char[] PASSPHRASE = "correct horse battery".toCharArray();

  @TempDir
  Path dir;

  private final SecureRandom random = new SecureRandom();

  private static KeystoreException.Code refusal(Runnable action) {
    try {
      action.run();
    } catch (KeystoreException refused) {
      return refused.code();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void theKeysComeBackWithThePassphraseAndSignAndUnwrapAsBefore() throws IOException {
    Path file = dir.resolve("p.wallet");
    Keystore.Keys keys = Keystore.generate("p-wallet", random);
    Keystore.write(file, keys, PASSPHRASE, CHEAP, random);
    Keystore.Keys opened = Keystore.open(file, PASSPHRASE.clone());
    assertThat(opened.identityId()).isEqualTo("p-wallet");
    assertThat(opened.publicKeys()).isEqualTo(keys.publicKeys());
    assertThat(opened.kem().privateKey()).isEqualTo(keys.kem().privateKey());
    byte[] message = {1, 2, 3};
    assertThat(MlDsa65.verify(keys.signing().publicKey(), message, opened.signing().sign(message))).isTrue();
    assertThat(IdentityKeys.decode(opened.publicKeys())).get().satisfies(k -> assertThat(k.kem()).isPresent());
    assertThat(opened.proofKeys().publicKey()).as("the proof key, derived again from its seed")
        .isEqualTo(keys.proofKeys().publicKey());
    byte[] context = "a login".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(NonInteractiveProof.verify(keys.proofKeys().publicKey(), context,
        NonInteractiveProof.prove(opened.proofKeys(), context, RandomSource.secure()).proof())).isTrue();
    assertThat(Keystore.generate("q", random).proofKeys().publicKey()).as("a fresh seed each time")
        .isNotEqualTo(keys.proofKeys().publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("p-wallet");
  }

  @Test
  void aWrongPassphraseATamperedFileAndAnotherFileAreRefused() throws IOException {
    Path file = dir.resolve("p.wallet");
    Keystore.write(file, Keystore.generate("p-wallet", random), PASSPHRASE, CHEAP, random);
    byte[] bytes = Files.readAllBytes(file);

    assertThat(refusal(() -> Keystore.open(file, "correct horse battery!".toCharArray())))
        .isEqualTo(KeystoreException.Code.WRONG_PASSPHRASE_OR_TAMPERED);
    // one flipped bit anywhere: the keys, the nonce, the salt, the Argon2 cost
    for (int at : new int[] {bytes.length - 1, bytes.length / 2, 9 + 1 + 12 + 3, 9 + 1 + 12 + 16 + 5, 9 + 1 + 6}) {
      byte[] tampered = bytes.clone();
      tampered[at] ^= 1;
      Path changed = dir.resolve("tampered-" + at);
      Files.write(changed, tampered);
      assertThat(refusal(() -> Keystore.open(changed, PASSPHRASE.clone()))).as("byte %d", at)
          .isIn(KeystoreException.Code.WRONG_PASSPHRASE_OR_TAMPERED, KeystoreException.Code.NOT_A_KEYSTORE);
    }
    Path cut = dir.resolve("cut");
    Files.write(cut, java.util.Arrays.copyOf(bytes, 40));
    assertThat(refusal(() -> Keystore.open(cut, PASSPHRASE.clone()))).isEqualTo(KeystoreException.Code.NOT_A_KEYSTORE);
    Path other = dir.resolve("other");
    Files.writeString(other, "not a wallet at all, just some text that is long enough to be read");
    assertThat(refusal(() -> Keystore.open(other, PASSPHRASE.clone()))).isEqualTo(KeystoreException.Code.NOT_A_KEYSTORE);
    assertThat(refusal(() -> Keystore.write(file, Keystore.generate("q", random), PASSPHRASE, CHEAP, random)))
        .as("a wallet is never overwritten").isEqualTo(KeystoreException.Code.EXISTS);
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
  }
}
