package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import akka.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;
import org.latticare.node.client.ApiClient;
import org.latticare.node.http.HttpFront;
import picocli.CommandLine;

/**
 * A 50 MB record (an image, say) goes in and comes out through the wallet commands run as separate
 * JVMs with a 32 MB heap: the client seals, sends, receives and opens a chunk at a time, never the
 * whole record (it would not fit), and what comes out is byte for byte what went in.
 */
class LargeRecordTest {

  private static final int MEGABYTES = 50;
  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());
  private static TestCluster cluster;
  private static ServerBinding binding;
  private static String url;
  private static Path dir;
  private static Path passphrase;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0).toCompletableFuture().get();
    url = "http://127.0.0.1:" + binding.localAddress().getPort();
    dir = Files.createTempDirectory("latticare-large");
    passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "a long enough passphrase\n");
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    cluster.shutdown();
  }

  private static void enrolledWallet(String id, String role) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new LatticareCli());
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("wallet", "init", "--id", id, "--wallet", dir.resolve(id).toString(), "--passphrase-file",
        passphrase.toString(), "--argon2-memory-mib", "8")).isZero();
    String[] lines = out.toString().strip().split("\n");
    byte[] keys = Base64.getDecoder().decode(lines[lines.length - 1].strip());
    ApiClient admin = new ApiClient(ApiClient.httpClient(), URI.create(url), "admin", cluster.clientKey("admin"));
    assertThat(admin.submit(Transaction.sign(cluster.clientKey("admin"), "admin", NONCES.incrementAndGet(),
        System.currentTimeMillis(), new TxBody.IdentityEnrolled(new TxBody.Identity(id, role, "hospital-1", keys))))
        .status()).isEqualTo(201);
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
    enrolledWallet("p-large", "patient");
    ApiClient admin = new ApiClient(ApiClient.httpClient(), URI.create(url), "admin", cluster.clientKey("admin"));
    assertThat(admin.submit(Transaction.sign(cluster.clientKey("admin"), "admin", NONCES.incrementAndGet(),
        System.currentTimeMillis(), new TxBody.PatientEnrolled("p-large", new byte[] {1}, Sha3Hash.ZERO))).status())
        .isEqualTo(201);
    enrolledWallet("dr-large", "clinician");

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
