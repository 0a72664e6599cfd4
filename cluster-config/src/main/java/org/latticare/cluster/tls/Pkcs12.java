package org.latticare.cluster.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PKCS12 stores and their password files, written owner-only (mode 600 where the file system has POSIX modes):
 * a password lives beside its store, so whoever can read the one must not be anyone but the node.
 */
final class Pkcs12 {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Pkcs12() {}

  /** 32 random bytes in base64url: the stores' password, never chosen by a person. */
  static char[] newPassword() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }

  static KeyStore empty() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no PKCS12 key store", e);
    }
  }

  static KeyStore load(Path file, char[] password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsException(TlsException.Problem.TLS_UNREADABLE, "cannot open " + file.toAbsolutePath() + " with"
          + " the password beside it (" + e.getMessage() + ")", e);
    }
  }

  static char[] readPassword(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
    } catch (IOException e) {
      throw new TlsException(TlsException.Problem.TLS_UNREADABLE, "cannot read password file " + file.toAbsolutePath()
          + " (" + e.getMessage() + ")", e);
    }
  }

  static void store(KeyStore store, Path file, char[] password) {
    try (OutputStream out = createOwnerOnly(file)) {
      store.store(out, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode " + file.toAbsolutePath(), e);
    }
  }

  static void writePassword(Path file, char[] password) {
    writeOwnerOnly(file, new String(password).getBytes(StandardCharsets.UTF_8));
  }

  static void writeOwnerOnly(Path file, byte[] content) {
    try (OutputStream out = createOwnerOnly(file)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
    }
  }

  /** Created with mode 600 from the start (never briefly readable by others); refuses an existing file. */
  private static OutputStream createOwnerOnly(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.createFile(file, ownerOnly);
      return Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING);
    }
    return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
  }
}
