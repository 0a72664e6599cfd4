package org.latticare.node.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;

import org.latticare.node.wallet.Keystore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latticare wallet}: a patient's or clinician's keys, kept in an encrypted keystore on their own
 * machine. {@code init} makes the keys (ML-DSA-65 to sign, ML-KEM-768 to receive record keys) and prints
 * the public keys its hospital enrols; {@code show} prints them again. Private keys never leave the file
 * except into this process's memory.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true, description = "A wallet: keys in an encrypted keystore.",
    subcommands = {WalletCommand.Init.class, WalletCommand.Show.class})
final class WalletCommand {

  /** Exit codes of the wallet and record commands. */
  static final int REFUSED = 2;
  static final int KEYSTORE = 3;

  private WalletCommand() {}

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Makes an identity's keys and writes them to a new keystore, encrypted under a passphrase.")
  static final class Init implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;

    @Option(names = "--id", required = true, description = "The identity id the hospital will enrol (a patient's pseudonym)")
    String identityId;

    @Option(names = "--argon2-memory-mib", defaultValue = "64", description = "Argon2id memory (default: ${DEFAULT-VALUE} MiB)")
    int memoryMiB;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      char[] passphrase = options.passphrase("New passphrase for " + options.wallet + ": ");
      try {
        if (passphrase.length < 8) {
          spec.commandLine().getErr().println("latticare: a passphrase has at least 8 characters");
          return KEYSTORE;
        }
        Keystore.Keys keys = Keystore.generate(identityId, options.random);
        Keystore.write(options.wallet, keys, passphrase, new Keystore.Cost(memoryMiB * 1024,
            Keystore.Cost.DEFAULT.passes(), Keystore.Cost.DEFAULT.lanes()), options.random);
        out.println("wallet " + options.wallet + " for '" + identityId + "'");
        printKeys(out, keys);
        return 0;
      } catch (Keystore.KeystoreException e) {
        spec.commandLine().getErr().println("latticare: " + e.code() + ": " + e.getMessage());
        return KEYSTORE;
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the wallet's identity and public keys.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;

    @Override
    public Integer call() {
      try {
        Keystore.Keys keys = options.open();
        spec.commandLine().getOut().println("identity: " + keys.identityId());
        printKeys(spec.commandLine().getOut(), keys);
        return 0;
      } catch (Keystore.KeystoreException e) {
        spec.commandLine().getErr().println("latticare: " + e.code() + ": " + e.getMessage());
        return KEYSTORE;
      }
    }
  }

  /** The public keys in the layout an identity carries on chain, for the enrolment. */
  static void printKeys(PrintWriter out, Keystore.Keys keys) {
    out.println("public keys (ML-DSA-65 and ML-KEM-768, base64, for the enrolment):");
    out.println(Base64.getEncoder().encodeToString(keys.publicKeys()));
    out.flush();
  }
}
