package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ProofClient;

/**
 * The wallet and record commands as a patient, a clinician and a consultant use them, against a
 * one-node consortium in this JVM: keys made and kept in encrypted keystores, a file sealed on the
 * clinician's side and read back by the patient, a grant re-wrapped on the patient's side, the log,
 * a revocation, an erasure; a wrong passphrase and a tampered keystore refused with their codes; a
 * patient's wallet proving its identity over HTTP (ring session and non-interactive proof) for a token
 * that opens its own views, and a wrong wallet's proof refused.
 */
class WalletCliTest {

  private static WalletConsortium consortium;

  @BeforeAll
  static void start() throws Exception {
    consortium = WalletConsortium.start();
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  private static WalletConsortium.Run as(String wallet, String... args) {
    return consortium.as(wallet, args);
  }

  @Test
  void aPatientClinicianAndConsultantUseTheirWallets() throws Exception {
    consortium.enrolledWallet("admin", "p-wallet", "patient", "hospital-1");
    consortium.submit("admin", new TxBody.PatientEnrolled("p-wallet", new byte[] {1}, Sha3Hash.ZERO));
    consortium.enrolledWallet("admin", "dr-wallet", "clinician", "hospital-1");
    consortium.enrolledWallet("admin-2", "cons-wallet", "clinician", "hospital-2");
    Path letter = consortium.dir.resolve("letter.txt");
    Files.writeString(letter, "Discharge letter. ".repeat(20_000));

    WalletConsortium.Run put = as("dr-wallet", "record", "put", "--file", letter.toString(), "--record-id", "r-wallet",
        "--patient", "p-wallet");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).contains("stored r-wallet on 1 nodes").contains("anchored in block");
    assertThat(put.err()).contains("(100 %)");

    Path mine = consortium.dir.resolve("mine.txt");
    WalletConsortium.Run get = as("p-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--out", mine.toString());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(Files.readString(mine)).isEqualTo(Files.readString(letter));

    Path theirs = consortium.dir.resolve("theirs.txt");
    WalletConsortium.Run refused = as("cons-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--out", theirs.toString());
    assertThat(refused.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(refused.err()).contains("NO_ACCESS");
    assertThat(theirs).doesNotExist();

    WalletConsortium.Run grant = as("p-wallet", "record", "grant", "--record-id", "r-wallet", "--patient", "p-wallet", "--to",
        "cons-wallet", "--purpose", "TREAT", "--for", "2h");
    assertThat(grant.exit()).as(grant.err()).isZero();
    WalletConsortium.Run read = eventually("cons-wallet", 0, "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--purpose", "TREAT", "--out", theirs.toString());
    assertThat(read.out()).contains("the read is logged");
    WalletConsortium.Run research = as("cons-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet",
        "--purpose", "HRESCH", "--out", theirs.toString());
    assertThat(research.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(research.err()).contains("WRONG_PURPOSE");
    assertThat(Files.readString(theirs)).isEqualTo(Files.readString(letter));

    WalletConsortium.Run log = as("p-wallet", "record", "log");
    assertThat(log.exit()).as(log.err()).isZero();
    assertThat(log.out()).contains("record anchored").contains("access granted").contains("record accessed")
        .contains("cons-wallet").contains("TREAT");

    assertThat(as("p-wallet", "record", "revoke", "--record-id", "r-wallet", "--to", "cons-wallet").exit()).isZero();
    WalletConsortium.Run revoked = eventually("cons-wallet", WalletCommand.REFUSED, "record", "get", "--record-id", "r-wallet",
        "--patient", "p-wallet", "--out", theirs.toString());
    assertThat(revoked.err()).contains("ACCESS_REVOKED");

    // An emergency clinician of another hospital breaks the glass; the clinician who stored the record shares the key.
    consortium.enrolledWallet("admin-2", "er-wallet", "clinician", "hospital-2");
    WalletConsortium.Run glass = as("er-wallet", "record", "break-glass", "--record-id", "r-wallet", "--justification",
        "unconscious in the emergency room", "--for", "1h");
    assertThat(glass.exit()).as(glass.err()).isZero();
    assertThat(as("dr-wallet", "record", "share", "--record-id", "r-wallet", "--patient", "p-wallet", "--to",
        "er-wallet").exit()).isZero();
    Path emergency = consortium.dir.resolve("emergency.txt");
    eventually("er-wallet", 0, "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--purpose",
        "ETREAT", "--out", emergency.toString());
    assertThat(Files.readString(emergency)).isEqualTo(Files.readString(letter));
    assertThat(as("p-wallet", "record", "log").out()).contains("break glass").contains("er-wallet");

    assertThat(as("p-wallet", "record", "erase", "--record-id", "r-wallet").exit()).isZero();
    WalletConsortium.Run gone = as("p-wallet", "record", "get", "--record-id", "r-wallet", "--patient", "p-wallet", "--out",
        mine.toString());
    assertThat(gone.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(gone.err()).contains("RECORD_ERASED");
  }

  @Test
  void aWrongPassphraseOrATamperedKeystoreOpensNothing() throws Exception {
    WalletConsortium.Run init = consortium.init("p-locked", "locked");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(as("locked", "wallet", "show").out()).contains("identity: p-locked");

    Path wrong = consortium.dir.resolve("wrong-passphrase");
    Files.writeString(wrong, "not the passphrase\n");
    WalletConsortium.Run refused = WalletConsortium.latticare("wallet", "show", "--wallet",
        consortium.dir.resolve("locked").toString(), "--passphrase-file", wrong.toString());
    assertThat(refused.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(refused.err()).contains("WRONG_PASSPHRASE_OR_TAMPERED");

    byte[] bytes = Files.readAllBytes(consortium.dir.resolve("locked"));
    bytes[bytes.length - 10] ^= 4;
    Files.write(consortium.dir.resolve("tampered"), bytes);
    WalletConsortium.Run tampered = as("tampered", "record", "log");
    assertThat(tampered.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(tampered.err()).contains("WRONG_PASSPHRASE_OR_TAMPERED");

    WalletConsortium.Run again = consortium.init("p-other", "locked");
    assertThat(again.exit()).isEqualTo(WalletCommand.KEYSTORE);
    assertThat(again.err()).contains("EXISTS");
  }

  /** A patient's wallet, enrolled by hospital-1's admin as an identity and as a patient with the wallet's own proof key. */
  private static WalletConsortium.Run enrolledPatient(String id) throws Exception {
    WalletConsortium.Run init = consortium.enrolledWallet("admin", id, "patient", "hospital-1");
    consortium.submit("admin", new TxBody.PatientEnrolled(id, WalletConsortium.printed(init, WalletCommand.PROOF_KEY),
        Sha3Hash.ZERO));
    return init;
  }

  /** The token {@code wallet prove} printed: its last line. */
  private static String token(WalletConsortium.Run prove) {
    assertThat(prove.exit()).as(prove.err()).isZero();
    List<String> lines = prove.out().strip().lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static ApiClient.Answer withToken(String path, String token) throws Exception {
    return ProofClient.getWithToken(ApiClient.httpClient(), URI.create(consortium.url), path, token);
  }

  @Test
  void aPatientsWalletProvesItsIdentityOverHttpAndReadsItsOwnViewWithTheToken() throws Exception {
    WalletConsortium.Run init = enrolledPatient("p-prover");
    assertThat(as("p-prover", "wallet", "show").out()).as("show prints the proof key too")
        .contains(Base64.getEncoder().encodeToString(WalletConsortium.printed(init, WalletCommand.PROOF_KEY)));

    WalletConsortium.Run ring = as("p-prover", "wallet", "prove");
    assertThat(ring.out()).contains("identified 'p-prover' (ring session, IdentityVerified ");
    ApiClient.Answer view = withToken("/api/patients/p-prover/transactions", token(ring));
    assertThat(view.status()).as(view.toString()).isEqualTo(200);
    String verified = ring.out().lines().findFirst().orElseThrow().replaceAll(".*IdentityVerified ([0-9a-f]+)\\).*", "$1");
    assertThat(view.body().get("transactionHashes").toString()).as("the proof is on chain").contains(verified);

    WalletConsortium.Run nizk = as("p-prover", "wallet", "prove", "--nizk");
    assertThat(nizk.out()).contains("identified 'p-prover' (non-interactive proof)");
    assertThat(withToken("/api/patients/p-prover/notifications", token(nizk)).status()).isEqualTo(200);

    enrolledPatient("p-neighbour");
    ApiClient.Answer theirs = withToken("/api/patients/p-neighbour/transactions", token(ring));
    assertThat(theirs.status()).isEqualTo(403);
    assertThat(theirs.code()).isEqualTo("TOKEN_NOT_ALLOWED");
  }

  @Test
  void aWrongWalletsProofFails() throws Exception {
    enrolledPatient("p-victim");
    WalletConsortium.Run impostor = consortium.init("p-victim", "impostor");
    assertThat(impostor.exit()).as(impostor.err()).isZero();
    WalletConsortium.Run nizk = as("impostor", "wallet", "prove", "--nizk");
    assertThat(nizk.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(nizk.err()).contains("PROOF_INVALID");
    assertThat(nizk.out()).doesNotContain("token");
    WalletConsortium.Run ring = as("impostor", "wallet", "prove");
    assertThat(ring.exit()).as("its requests are not signed by the enrolled identity").isEqualTo(WalletCommand.REFUSED);
    assertThat(ring.err()).contains("BAD_SIGNATURE");

    // the patient's own identity, enrolled as a patient with another wallet's proof key: not identified
    WalletConsortium.Run other = consortium.init("p-other-key", "other-key");
    consortium.enrolledWallet("admin", "p-mismatch", "patient", "hospital-1");
    consortium.submit("admin", new TxBody.PatientEnrolled("p-mismatch",
        WalletConsortium.printed(other, WalletCommand.PROOF_KEY), Sha3Hash.ZERO));
    WalletConsortium.Run mismatch = as("p-mismatch", "wallet", "prove");
    assertThat(mismatch.exit()).isEqualTo(WalletCommand.REFUSED);
    assertThat(mismatch.err()).contains("NOT_IDENTIFIED");
  }

  /** Runs the command until it exits with {@code exit} (a contract hears of a grant a moment after it commits). */
  private static WalletConsortium.Run eventually(String wallet, int exit, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    WalletConsortium.Run run = as(wallet, args);
    while (run.exit() != exit && System.nanoTime() < deadline) {
      Thread.sleep(200);
      run = as(wallet, args);
    }
    assertThat(run.exit()).as(run.err()).isEqualTo(exit);
    return run;
  }
}
