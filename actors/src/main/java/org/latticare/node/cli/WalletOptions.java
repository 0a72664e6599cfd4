package org.latticare.node.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.latticare.lattice.kem.MlKem768;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.node.client.ApiClient;
import org.latticare.node.client.RecordClient;
import org.latticare.node.wallet.Keystore;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every wallet command needs: the keystore file and its passphrase, and the front to talk to. The
 * passphrase comes from {@code --passphrase-file}, else {@code LATTICARE_WALLET_PASSPHRASE}, else the
 * console (never from the command line, where other users of the machine could read it).
 */
final class WalletOptions {

  static final String PASSPHRASE_ENV = "LATTICARE_WALLET_PASSPHRASE";
  private static final AtomicLong LAST_NONCE = new AtomicLong();

  @Option(names = "--wallet", defaultValue = "latticare.wallet", description = "The keystore file (default: ${DEFAULT-VALUE})")
  Path wallet;

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "The front (default: ${DEFAULT-VALUE})")
  URI url;

  @Option(names = "--passphrase-file", description = "A file whose first line is the wallet's passphrase")
  Path passphraseFile;

  final SecureRandom random = new SecureRandom();

  char[] passphrase(String prompt) {
    if (passphraseFile != null) {
      try {
        String text = Files.readString(passphraseFile, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).stripTrailing().toCharArray();
      } catch (IOException e) {
        throw new Keystore.KeystoreException(Keystore.KeystoreException.Code.IO, "cannot read " + passphraseFile);
      }
    }
    String fromEnvironment = System.getenv(PASSPHRASE_ENV);
    if (fromEnvironment != null) {
      return fromEnvironment.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new Keystore.KeystoreException(Keystore.KeystoreException.Code.IO, "no passphrase: give --passphrase-file,"
          + " set " + PASSPHRASE_ENV + ", or run in a terminal");
    }
    return console.readPassword("%s", prompt);
  }

  Keystore.Keys open() {
    return Keystore.open(wallet, passphrase("Passphrase of " + wallet + ": "));
  }

  ApiClient api(Keystore.Keys keys) {
    return new ApiClient(ApiClient.httpClient(), url, keys.identityId(), keys.signing());
  }

  RecordClient records(Keystore.Keys keys) {
    return new RecordClient(api(keys), new RecordEncryption(new MlKem768(), random));
  }

  /** The body of a command: what it does with the wallet's keys; it prints to {@code out}. */
  interface Action {
    void run(Keystore.Keys keys, PrintWriter out) throws Exception;
  }

  /**
   * Runs {@code action} with the wallet's keys: 0 when it is done, {@link WalletCommand#REFUSED} (2) with the API's
   * code when the front refused, {@link WalletCommand#KEYSTORE} (3) when the keystore did not open, 1 otherwise.
   */
  int run(CommandLine.Model.CommandSpec spec, Action action) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      action.run(open(), out);
      out.flush();
      return 0;
    } catch (RecordClient.ApiException refused) {
      err.println("latticare: refused: " + refused.getMessage());
      return WalletCommand.REFUSED;
    } catch (Keystore.KeystoreException keystore) {
      err.println("latticare: " + keystore.code() + ": " + keystore.getMessage());
      return WalletCommand.KEYSTORE;
    } catch (RecordEncryption.RecordAccessException unopened) {
      err.println("latticare: the record does not open with this wallet: " + unopened.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("latticare: " + e.getMessage() + " (is a node's front at " + url + "?)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      err.println("latticare: " + e);
      return 1;
    } finally {
      err.flush();
    }
  }

  /** A fresh transaction nonce: the clock in microseconds, never repeated within this process. */
  static long nonce() {
    long now = System.currentTimeMillis() * 1000;
    return LAST_NONCE.updateAndGet(last -> Math.max(last + 1, now));
  }
}
