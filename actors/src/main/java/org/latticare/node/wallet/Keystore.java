package org.latticare.node.wallet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.latticare.lattice.kem.KemKeyPair;
import org.latticare.lattice.kem.MlKem768;
import org.latticare.ledger.IdentityKeys;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;

/**
 * A wallet's keys at rest: an identity id, its ML-DSA-65 seed and its ML-KEM-768 key pair, encrypted
 * under a passphrase. The passphrase becomes an AES-256 key through Argon2id (Bouncy Castle; RFC 9106's
 * second recommended option, 64 MiB and 3 passes, by default), and the keys are sealed with AES-256-GCM
 * whose associated data is everything before the ciphertext (format, Argon2 parameters, salt, nonce), so
 * neither the parameters nor the keys can be changed without the file failing to open.
 *
 * <pre>
 *   "LTCWALLET" ‖ u8 version (2) ‖ u32 memory KiB ‖ u32 passes ‖ u32 lanes ‖ salt (16) ‖ nonce (12)
 *   ‖ AES-256-GCM( u16 id length ‖ id ‖ ML-DSA-65 seed (32) ‖ ML-KEM-768 public (1184) ‖ private (2400)
 *                  ‖ u8 proof parameter set ‖ proof seed (32) ‖ SHA3-256 of the proof public key (32) )
 * </pre>
 * Version 1 (without the proof key) still opens, with no proof key. A wrong passphrase and a tampered
 * file are the same failure: GCM cannot tell them apart, and saying which would help an attacker.
 *
 * <p>The proof key (the patient's identity key for the ring identification and its non-interactive
 * proof, CRYPTO.md section 3) is {@link IdentityKeyPair#generate} over {@link RandomSource#shake256} of a
 * 32-byte seed from {@link SecureRandom}, as ML-DSA keeps a seed: the identification module has no
 * encoding of a secret key, so the seed is what is stored, and the digest of the public key it gave is
 * stored beside it so that a build which derived another key from the same seed is caught
 * ({@code PROOF_KEY_CHANGED}) instead of proving with a key nobody enrolled.
 */
public final class Keystore {

  private static final byte[] MAGIC = "LTCWALLET".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 2;
  private static final int VERSION_WITHOUT_PROOF_KEY = 1;
  private static final int PROOF_SEED_BYTES = 32;
  private static final int DIGEST_BYTES = 32;
  private static final byte[] PROOF_KEY_DOMAIN = "latticare/wallet/proof-key/v1".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int KEM_PUBLIC_BYTES = IdentityKeys.KEM_KEY_BYTES;
  private static final int KEM_PRIVATE_BYTES = 2400;
  private static final int PREFIX_BYTES = MAGIC.length + 1 + 12 + SALT_BYTES + NONCE_BYTES;
  private static final int MAX_MEMORY_KIB = 1024 * 1024;

  /** Argon2id's cost: memory in KiB, passes, lanes. */
  public record Cost(int memoryKiB, int passes, int lanes) {
    /** RFC 9106 §4, the second recommended option: 64 MiB, 3 passes, 4 lanes (here one per core is plenty). */
    public static final Cost DEFAULT = new Cost(64 * 1024, 3, 1);

    public Cost {
      if (memoryKiB < 8 || memoryKiB > MAX_MEMORY_KIB || passes < 1 || passes > 20 || lanes < 1 || lanes > 16) {
        throw new KeystoreException(KeystoreException.Code.NOT_A_KEYSTORE, "Argon2 parameters out of range");
      }
    }
  }

  /** What the wallet holds: the identity and its private keys ({@code proof} is {@code null} in a version 1 wallet). */
  public record Keys(String identityId, MlDsa65.KeyPair signing, KemKeyPair kem, ProofKey proof) {
    /** The public keys as an identity carries them on chain (layout 2). */
    public byte[] publicKeys() {
      return IdentityKeys.of(signing.publicKey(), kem.publicKey()).encode();
    }

    /** The proof key, which a wallet made before proof keys lacks. */
    public IdentityKeyPair proofKeys() {
      if (proof == null) {
        throw new KeystoreException(KeystoreException.Code.NO_PROOF_KEY, "this wallet was made before wallets held a"
            + " proof key: make a new one and have the hospital enrol its keys");
      }
      return proof.keys();
    }
  }

  /** The identity key for proofs and the seed it is derived from (what the file keeps). */
  public record ProofKey(byte[] seed, IdentityKeyPair keys) {
    public ProofKey {
      seed = seed.clone();
    }

    @Override
    public byte[] seed() {
      return seed.clone();
    }

    @Override
    public String toString() {
      return "ProofKey[" + keys.publicKey().parameters().name() + "]";
    }

    /** A fresh key of {@link IdentificationParameters#N256}, from a seed drawn from {@code random}. */
    static ProofKey generate(SecureRandom random) {
      byte[] seed = new byte[PROOF_SEED_BYTES];
      random.nextBytes(seed);
      return derive(IdentificationParameters.N256, seed);
    }

    static ProofKey derive(IdentificationParameters parameters, byte[] seed) {
      byte[] input = ByteBuffer.allocate(PROOF_KEY_DOMAIN.length + 1 + seed.length).put(PROOF_KEY_DOMAIN)
          .put((byte) parameters.id()).put(seed).array();
      return new ProofKey(seed, IdentityKeyPair.generate(parameters, RandomSource.shake256(input)));
    }

    byte[] publicKeyDigest() {
      try {
        return MessageDigest.getInstance("SHA3-256").digest(keys.publicKey().encode());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK since 9 provides SHA3-256", e);
      }
    }
  }

  /** The keystore cannot be opened or written; {@code code} says which way, stably. */
  public static final class KeystoreException extends RuntimeException {
    public enum Code { NOT_A_KEYSTORE, WRONG_PASSPHRASE_OR_TAMPERED, EXISTS, IO, NO_PROOF_KEY, PROOF_KEY_CHANGED }

    private final Code code;

    public KeystoreException(Code code, String message) {
      super(message);
      this.code = code;
    }

    public Code code() {
      return code;
    }
  }

  private Keystore() {}

  /** Fresh keys for {@code identityId}. */
  public static Keys generate(String identityId, SecureRandom random) {
    if (identityId == null || identityId.isEmpty() || identityId.length() > 256) {
      throw new IllegalArgumentException("an identity id is 1 to 256 characters");
    }
    return new Keys(identityId, MlDsa65.generate(), new MlKem768().generateKeyPair(random), ProofKey.generate(random));
  }

  /** Writes {@code keys} to {@code file} (owner read and write only), refusing to overwrite a wallet. */
  public static void write(Path file, Keys keys, char[] passphrase, Cost cost, SecureRandom random) {
    if (Files.exists(file)) {
      throw new KeystoreException(KeystoreException.Code.EXISTS, file + " exists: a wallet is never overwritten");
    }
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] prefix = ByteBuffer.allocate(PREFIX_BYTES).put(MAGIC).put((byte) VERSION).putInt(cost.memoryKiB())
        .putInt(cost.passes()).putInt(cost.lanes()).put(salt).put(nonce).array();
    byte[] id = keys.identityId().getBytes(StandardCharsets.UTF_8);
    ProofKey proof = keys.proof();
    if (proof == null) {
      throw new IllegalArgumentException("a new wallet holds a proof key");
    }
    byte[] secret = ByteBuffer.allocate(2 + id.length + MlDsa65.SEED_BYTES + KEM_PUBLIC_BYTES + KEM_PRIVATE_BYTES
            + 1 + PROOF_SEED_BYTES + DIGEST_BYTES)
        .putShort((short) id.length).put(id).put(keys.signing().seed()).put(keys.kem().publicKey())
        .put(keys.kem().privateKey()).put((byte) proof.keys().publicKey().parameters().id()).put(proof.seed())
        .put(proof.publicKeyDigest()).array();
    byte[] key = derive(passphrase, salt, cost);
    try {
      byte[] sealed = gcm(Cipher.ENCRYPT_MODE, key, nonce, prefix, secret);
      byte[] out = ByteBuffer.allocate(prefix.length + sealed.length).put(prefix).put(sealed).array();
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, ".wallet", ".tmp");
      try {
        setOwnerOnly(temporary);
        Files.write(temporary, out);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new KeystoreException(KeystoreException.Code.IO, "cannot write " + file + ": " + e.getMessage());
    } catch (AEADBadTagException impossible) {
      throw new IllegalStateException("encryption checks no tag", impossible);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Opens {@code file} with {@code passphrase}. */
  public static Keys open(Path file, char[] passphrase) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KeystoreException(KeystoreException.Code.IO, "cannot read " + file + ": " + e.getMessage());
    }
    if (bytes.length < PREFIX_BYTES + 16 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || bytes[MAGIC.length] != VERSION && bytes[MAGIC.length] != VERSION_WITHOUT_PROOF_KEY) {
      throw new KeystoreException(KeystoreException.Code.NOT_A_KEYSTORE, file + " is not a Latticare wallet (version "
          + VERSION + ")");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length + 1, PREFIX_BYTES - MAGIC.length - 1);
    Cost cost = new Cost(in.getInt(), in.getInt(), in.getInt());
    byte[] salt = new byte[SALT_BYTES];
    in.get(salt);
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(nonce);
    byte[] prefix = Arrays.copyOf(bytes, PREFIX_BYTES);
    byte[] key = derive(passphrase, salt, cost);
    byte[] secret;
    try {
      secret = gcm(Cipher.DECRYPT_MODE, key, nonce, prefix, Arrays.copyOfRange(bytes, PREFIX_BYTES, bytes.length));
    } catch (AEADBadTagException e) {
      throw new KeystoreException(KeystoreException.Code.WRONG_PASSPHRASE_OR_TAMPERED,
          "the passphrase does not open " + file + ", or the file was changed");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    try {
      ByteBuffer keys = ByteBuffer.wrap(secret);
      byte[] id = new byte[keys.getShort() & 0xffff];
      keys.get(id);
      byte[] seed = new byte[MlDsa65.SEED_BYTES];
      keys.get(seed);
      byte[] kemPublic = new byte[KEM_PUBLIC_BYTES];
      keys.get(kemPublic);
      byte[] kemPrivate = new byte[KEM_PRIVATE_BYTES];
      keys.get(kemPrivate);
      ProofKey proof = bytes[MAGIC.length] == VERSION ? proofKey(file, keys) : null;
      if (keys.hasRemaining()) {
        throw new KeystoreException(KeystoreException.Code.NOT_A_KEYSTORE, file + " holds more than a wallet's keys");
      }
      return new Keys(new String(id, StandardCharsets.UTF_8), MlDsa65.KeyPair.fromSeed(seed),
          new KemKeyPair(kemPublic, kemPrivate), proof);
    } catch (java.nio.BufferUnderflowException e) {
      throw new KeystoreException(KeystoreException.Code.NOT_A_KEYSTORE, file + " holds less than a wallet's keys");
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The proof key derived again from its seed, which must give the key whose digest the file keeps. */
  private static ProofKey proofKey(Path file, ByteBuffer keys) {
    IdentificationParameters parameters = IdentificationParameters.byId(keys.get() & 0xff);
    byte[] seed = new byte[PROOF_SEED_BYTES];
    keys.get(seed);
    byte[] digest = new byte[DIGEST_BYTES];
    keys.get(digest);
    if (parameters == null) {
      throw new KeystoreException(KeystoreException.Code.NOT_A_KEYSTORE, file + " names a proof parameter set this"
          + " build does not know");
    }
    ProofKey proof = ProofKey.derive(parameters, seed);
    Arrays.fill(seed, (byte) 0);
    if (!MessageDigest.isEqual(digest, proof.publicKeyDigest())) {
      throw new KeystoreException(KeystoreException.Code.PROOF_KEY_CHANGED, "this build derives another proof key from "
          + file + "'s seed than the one the wallet was made with");
    }
    return proof;
  }

  private static byte[] derive(char[] passphrase, byte[] salt, Cost cost) {
    Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
    argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(salt).withMemoryAsKB(cost.memoryKiB()).withIterations(cost.passes()).withParallelism(cost.lanes())
        .build());
    byte[] key = new byte[32];
    argon2.generateBytes(passphrase, key);
    return key;
  }

  private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws AEADBadTagException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static void setOwnerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX permissions: the encryption is what protects the keys
    }
  }
}
