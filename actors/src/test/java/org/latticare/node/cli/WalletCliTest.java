package org.latticare.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.tx.TxBody;

/**
 * The wallet and record commands as a patient, a clinician and a consultant use them, against a
 * one-node consortium in this JVM: keys made and kept in encrypted keystores, a file sealed on the
 * clinician's side and read back by the patient, a grant re-wrapped on the patient's side, the log,
 * a revocation, an erasure; a wrong passphrase and a tampered keystore refused with their codes.
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
