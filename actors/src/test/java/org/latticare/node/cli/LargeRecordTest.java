package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;

/**
 * A 50 MB record (an image, say) goes in and comes out through the wallet commands run as separate
 * JVMs with a 32 MB heap: the client seals, sends, receives and opens a chunk at a time, never the
 * whole record (it would not fit), and what comes out is byte for byte what went in.
 */
class LargeRecordTest {

  private static final int MEGABYTES = 50;
  private static WalletConsortium consortium;

  @BeforeAll
  static void start() throws Exception {
    consortium = WalletConsortium.start();
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  /** {@code latticare …} in a JVM of its own with a 32 MB heap; its exit code, its output in {@code log}. */
  private static int latticareIn32MB(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m", "-cp", System.getProperty("java.class.path"), LatticareCli.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("latticare " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return process.exitValue();
  }

  @Test
  void aFiftyMegabyteRecordStreamsInAndOutOfA32MegabyteClient() throws Exception {
    consortium.enrolledWallet("admin", "p-large", "patient", "hospital-1");
    consortium.submit("admin", new TxBody.PatientEnrolled("p-large", new byte[] {1}, Sha3Hash.ZERO));
    consortium.enrolledWallet("admin", "dr-large", "clinician", "hospital-1");
    Path dir = consortium.dir;
    String url = consortium.url;
    Path passphrase = consortium.passphrase;

    Path image = dir.resolve("scan.dcm");
    Random random = new Random(42);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(image)) {
      for (int i = 0; i < MEGABYTES; i++) {
        random.nextBytes(block);
        out.write(block);
      }
    }

    Path putLog = dir.resolve("put.log");
    int put = latticareIn32MB(putLog, "record", "put", "--file", image.toString(), "--record-id", "r-large",
        "--patient", "p-large", "--wallet", dir.resolve("dr-large").toString(), "--url", url,
        "--passphrase-file", passphrase.toString());
    assertThat(put).as(Files.readString(putLog)).isZero();
    assertThat(Files.readString(putLog)).contains("stored r-large on 1 nodes").contains("(100 %)");

    Path opened = dir.resolve("opened.dcm");
    Path getLog = dir.resolve("get.log");
    int get = latticareIn32MB(getLog, "record", "get", "--record-id", "r-large", "--patient", "p-large",
        "--out", opened.toString(), "--wallet", dir.resolve("p-large").toString(), "--url", url,
        "--passphrase-file", passphrase.toString());
    assertThat(get).as(Files.readString(getLog)).isZero();
    assertThat(Files.size(opened)).isEqualTo((long) MEGABYTES << 20);
    assertThat(sha256(opened)).isEqualTo(sha256(image));
    assertThat(Files.readString(getLog, StandardCharsets.UTF_8)).contains("the read is logged");
  }

  private static byte[] sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
