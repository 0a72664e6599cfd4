package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 * The wallet and record commands as a patient, a clinician and a consultant use them, against a
 * one-node consortium in this JVM: keys made and kept in encrypted keystores, a file sealed on the
 * clinician's side and read back by the patient, a grant re-wrapped on the patient's side, the log,
 * a revocation, an erasure; a wrong passphrase and a tampered keystore refused with their codes.
 */
class WalletCliTest {

  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());
  private static TestCluster cluster;
  private static ServerBinding binding;
  private static String url;
  private static Path dir;
  private static Path passphrase;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0).toCompletableFuture().get();
    url = "http://127.0.0.1:" + binding.localAddress().getPort();
    dir = Files.createTempDirectory("latticare-wallets");
    passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "a long enough passphrase\n");
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    cluster.shutdown();
  }

  private static Run latticare(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LatticareCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run as(String wallet, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--wallet", dir.resolve(wallet).toString(), "--url", url, "--passphrase-file", passphrase.toString()));
    return latticare(all.toArray(String[]::new));
  }

  /** Makes a wallet and has {@code admin} enrol its identity with the public keys it printed. */
  private static void enrolledWallet(String admin, String id, String role, String organisation) throws Exception {
    Run init = latticare("wallet", "init", "--id", id, "--wallet", dir.resolve(id).toString(), "--passphrase-file",
        passphrase.toString(), "--argon2-memory-mib", "8");
    assertThat(init.exit()).as(init.err()).isZero();
    String[] lines = init.out().strip().split("\n");
    byte[] keys = Base64.getDecoder().decode(lines[lines.length - 1].strip());
    submit(admin, new TxBody.IdentityEnrolled(new TxBody.Identity(id, role, organisation, keys)));
  }

  private static void submit(String id, TxBody body) throws Exception {
    ApiClient client = new ApiClient(ApiClient.httpClient(), URI.create(url), id, cluster.clientKey(id));
    assertThat(client.submit(Transaction.sign(cluster.clientKey(id), id, NONCES.incrementAndGet(),
        System.currentTimeMillis(), body)).status()).isEqualTo(201);
  }

  @Test
  void aPatientClinicianAndConsultantUseTheirWallets() throws Exception {
    enrolledWallet("admin", "p-wallet", "patient", "hospital-1");
    submit("admin", new TxBody.PatientEnrolled("p-wallet", new byte[] {1}, Sha3Hash.ZERO));
    enrolledWallet("admin", "dr-wallet", "clinician", "hospital-1");
    enrolledWallet("admin-2", "cons-wallet", "clinician", "hospital-2");
    Path letter = dir.resolve("letter.txt");
    Files.writeString(letter, "Discharge letter. ".repeat(20_000));

    Run put = as("dr-wallet", "record", "put", "--file", letter.toString(), "--record-id", "r-wallet",
        "--patient", "p-wallet");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).contains("stored r-wallet on 1 nodes").contains("anchored in block");
    assertThat(put.err()).contains("(100 %)");

    Path mine = dir.resolve("mine.txt");
    Run get = as("p-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--out", mine.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(Files.readString(mine)).isEqualTo(Files.readString(letter));

    Path theirs = dir.resolve("theirs.txt");
    Run refused = as("cons-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--out", theirs.toString());
    assertThat(refused.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(refused.err()).contains("NO_ACCESS");
    assertThat(theirs).doesNotExist();

    Run grant = as("p-wallet", "record", "grant", "--record-id", "r-wallet", "--patient", "p-wallet", "--to",
        "cons-wallet", "--purpose", "TREAT", "--for", "2h");
    assertThat(grant.exit()).as(grant.err()).isZero();
    Run read = eventually("cons-wallet", 0, "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--purpose", "TREAT", "--out", theirs.toString());
    assertThat(read.out()).contains("the read is logged");
    Run research = as("cons-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--purpose", "HRESCH", "--out", theirs.toString());
    assertThat(research.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(research.err()).contains("WRONG_PURPOSE");
    assertThat(Files.readString(theirs)).isEqualTo(Files.readString(letter));

    Run log = as("p-wallet", "record", "log");
    assertThat(log.exit()).as(log.err()).isZero();
    assertThat(log.out()).contains("record anchored").contains("access granted").contains("record accessed")
        .contains("cons-wallet").contains("TREAT");

    assertThat(as("p-wallet", "record", "revoke", "--record-id", "r-wallet", "--to", "cons-wallet").exit()).isZero();
    Run revoked = eventually("cons-wallet", WalletCommand.REFUSED, "record", "get", "--record-id", "r-wallet",
        "--patient", "p-wallet", "--out", theirs.toString());
    assertThat(revoked.err()).contains("ACCESS_REVOKED");

    // An emergency clinician of another hospital breaks the glass; the clinician who stored the record shares the key.
    enrolledWallet("admin-2", "er-wallet", "clinician", "hospital-2");
    Run glass = as("er-wallet", "record", "break-glass", "--record-id", "r-wallet", "--justification",
        "unconscious in the emergency room", "--for", "1h");
    assertThat(glass.exit()).as(glass.err()).isZero();
    assertThat(as("dr-wallet", "record", "share", "--record-id", "r-wallet", "--patient", "p-wallet", "--to",
        "er-wallet").exit()).isZero();
    Path emergency = dir.resolve("emergency.txt");
    eventually("er-wallet", 0, "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--purpose",
        "ETREAT", "--out", emergency.toString());
    assertThat(Files.readString(emergency)).isEqualTo(Files.readString(letter));
    assertThat(as("p-wallet", "record", "log").out()).contains("break glass").contains("er-wallet");

    assertThat(as("p-wallet", "record", "erase", "--record-id", "r-wallet").exit()).isZero();
    Run gone = as("p-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--out",
        mine.toString());
    assertThat(gone.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(gone.err()).contains("RECORD_ERASED");
  }

  @Test
  void aWrongPassphraseOrATamperedKeystoreOpensNothing() throws Exception {
    Run init = latticare("wallet", "init", "--id", "p-locked", "--wallet", dir.resolve("locked").toString(),
        "--passphrase-file", passphrase.toString(), "--argon2-memory-mib", "8");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(as("locked", "wallet", "show").out()).contains("identity: p-locked");

    Path wrong = dir.resolve("wrong-passphrase");
    Files.writeString(wrong, "not the passphrase\n");
    Run refused = latticare("wallet", "show", "--wallet", dir.resolve("locked").toString(), "--passphrase-file",
        wrong.toString());
    assertThat(refused.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(refused.err()).contains("WRONG_PASSPHRASE_OR_TAMPERED");

    byte[] bytes = Files.readAllBytes(dir.resolve("locked"));
    bytes[bytes.length - 10] ^= 4;
    Files.write(dir.resolve("tampered"), bytes);
    Run tampered = as("tampered", "record", "log");
    assertThat(tampered.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(tampered.err()).contains("WRONG_PASSPHRASE_OR_TAMPERED");

    Run again = latticare("wallet", "init", "--id", "p-other", "--wallet", dir.resolve("locked").toString(),
        "--passphrase-file", passphrase.toString(), "--argon2-memory-mib", "8");
    assertThat(again.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(again.err()).contains("EXISTS");
  }

  /** Runs the command until it exits with {@code exit} (a contract hears of a grant a moment after it commits). */
  private static Run eventually(String wallet, int exit, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    Run run = as(wallet, args);
    while (run.exit() != exit && System.nanoTime() < deadline) {
      Thread.sleep(200);
      run = as(wallet, args);
    }
    assertThat(run.exit()).as(run.err()).isEqualTo(exit);
    return run;
  }
}
