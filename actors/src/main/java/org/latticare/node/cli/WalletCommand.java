package org.latticare.node.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;

import org.latticare.node.client.ApiClient;
import org.latticare.node.client.ProofClient;
import org.latticare.node.wallet.Keystore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latticare wallet}: a patient's or clinician's keys, kept in an encrypted keystore on their own
 * machine. {@code init} makes the keys (ML-DSA-65 to sign, ML-KEM-768 to receive record keys, and the
 * identity key a patient proves it holds) and prints the public keys its hospital enrols; {@code show}
 * prints them again; {@code prove} proves the patient's identity to the consortium with the prover
 * running here and prints the token it is given. Private keys never leave the file except into this
 * process's memory.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true, description = "A wallet: keys in an encrypted keystore.",
    subcommands = {WalletCommand.Init.class, WalletCommand.Show.class, WalletCommand.Prove.class})
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
      return options.run(spec, (keys, out) -> {
        out.println("identity: " + keys.identityId());
        printKeys(out, keys);
      });
    }
  }

  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = "Proves the wallet's patient identity to the consortium (the prover runs here) and prints a token"
          + " for the patient's own views.")
  static final class Prove implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;

    @Option(names = "--nizk", description = "A non-interactive proof over a nonce of the front, instead of a ring session")
    boolean nonInteractive;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        ProofClient.Token token = nonInteractive
            ? ProofClient.logIn(ApiClient.httpClient(), options.url, keys.identityId(), keys.proofKeys())
            : new ProofClient(options.api(keys)).proveOverRing(keys.proofKeys());
        out.println("identified '" + token.pseudonym() + "' (" + (nonInteractive ? "non-interactive proof"
            : "ring session, IdentityVerified " + token.evidence().substring(token.evidence().indexOf(':') + 1)) + ")");
        out.println("token for GET /api/patients/" + token.pseudonym() + "/… (Authorization: Bearer), issued by "
            + token.issuer() + ", until " + Instant.ofEpochMilli(token.expiresAtMillis()) + ":");
        out.println(token.token());
      });
    }
  }

  /** The public keys in the layout an identity carries on chain, and the proof key of a patient's enrolment. */
  static void printKeys(PrintWriter out, Keystore.Keys keys) {
    out.println(PUBLIC_KEYS);
    out.println(Base64.getEncoder().encodeToString(keys.publicKeys()));
    if (keys.proof() != null) {
      out.println(PROOF_KEY + " (" + keys.proofKeys().publicKey().parameters().name() + ", base64):");
      out.println(Base64.getEncoder().encodeToString(keys.proofKeys().publicKey().encode()));
    }
    out.flush();
  }

  /** The labels of the lines that {@link #printKeys} prints each key after. */
  static final String PUBLIC_KEYS = "public keys (ML-DSA-65 and ML-KEM-768, base64, for the enrolment):";
  static final String PROOF_KEY = "proof key (the identity key a patient's enrolment carries";
}
