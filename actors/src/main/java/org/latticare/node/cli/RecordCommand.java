package org.latticare.node.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.latticare.lattice.kem.RecordBinding;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.rules.ConsentPolicy;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.client.RecordClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latticare record}: a wallet's records. {@code put} seals a file on this machine and stores it
 * off chain, then anchors its digest; {@code get} logs the read, fetches the sealed record and decrypts
 * it here; {@code grant} re-wraps the record key for another identity here; {@code revoke}, {@code erase}
 * and {@code log} say the rest. Every request is signed with the wallet's key; refusals print the API's
 * code (exit 2), keystore failures exit 3.
 */
@Command(name = "record", mixinStandardHelpOptions = true, description = "Records, sealed and opened in the wallet.",
    subcommands = {RecordCommand.Put.class, RecordCommand.Get.class, RecordCommand.Grant.class,
        RecordCommand.Revoke.class, RecordCommand.Erase.class, RecordCommand.Log.class, RecordCommand.BreakGlass.class,
        RecordCommand.Share.class, RecordCommand.Alerts.class})
final class RecordCommand {

  private RecordCommand() {}

  /** Which record: its id and its patient's pseudonym (the binding the record is sealed and opened for). */
  static final class RecordOf {
    @Option(names = "--record-id", required = true) String recordId;
    @Option(names = "--patient", required = true, description = "The patient's pseudonym") String patient;

    RecordBinding binding() {
      return new RecordBinding(recordId, patient);
    }
  }

  /** Progress on standard error, a line rewritten at most every 2 % (a long upload says it is alive). */
  private static LongConsumer progress(CommandLine.Model.CommandSpec spec, String verb, long total) {
    PrintWriter err = spec.commandLine().getErr();
    long[] shown = {-1};
    return done -> {
      long percent = total > 0 ? 100 * done / total : -1;
      if (percent < 0 ? done - shown[0] >= (1 << 22) : percent / 2 != shown[0] / 2 || done == total) {
        shown[0] = percent < 0 ? done : percent;
        err.printf("\r%s %.1f MB%s", verb, done / 1e6, percent >= 0 ? String.format(" of %.1f MB (%d %%)", total / 1e6, percent) : "");
        err.flush();
      }
    };
  }

  @Command(name = "put", mixinStandardHelpOptions = true,
      description = "Seals a file for its patient (and more readers) here, stores it on the nodes, anchors its digest.")
  static final class Put implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--file", required = true) Path file;
    @Mixin RecordOf record;
    @Option(names = "--reader", description = "More identities to wrap the record key for (the patient and this wallet always are)")
    List<String> readers = new ArrayList<>();

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        RecordClient client = options.records(keys);
        Set<String> ids = new LinkedHashSet<>(List.of(record.patient));
        ids.addAll(readers);
        ids.remove(keys.identityId());
        List<RecordEncryption.Grantee> grantees = new ArrayList<>();
        grantees.add(new RecordEncryption.Grantee(keys.identityId(), keys.kem().publicKey()));
        for (String id : ids) {
          grantees.add(client.grantee(id));
        }
        long size = Files.size(file);
        RecordClient.Stored stored;
        try (InputStream in = Files.newInputStream(file)) {
          stored = client.store(record.recordId, record.patient, in, grantees, progress(spec, "sealed and sent", size));
        }
        spec.commandLine().getErr().println();
        JsonNode anchored = client.anchor(stored, record.patient, keys.signing(), WalletOptions.nonce()).body();
        out.printf("stored %s on %d nodes: %d bytes sealed in %d chunks, digest %s%n", record.recordId, stored.nodes(),
            stored.bytes(), stored.chunks(), stored.digest().hex());
        out.printf("anchored in block %d (transaction %s)%n", anchored.get("height").asLong(),
            anchored.get("transactionHash").asText());
      });
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Logs the read on chain, fetches the sealed record and decrypts it here into a file.")
  static final class Get implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Mixin RecordOf record;
    @Option(names = "--purpose", defaultValue = "TREAT",
        description = "Why it is read (an HL7 v3 PurposeOfUse code), logged with the read (default: ${DEFAULT-VALUE})")
    String purpose;
    @Option(names = "--out", required = true, description = "The file to write (replaced only once the whole record opened)")
    Path outFile;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        Path parent = outFile.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(parent, ".record", ".part");
        try {
          RecordClient.Read read;
          try (OutputStream file = Files.newOutputStream(partial)) {
            read = options.records(keys).read(record.binding(), purpose, keys.signing(),
                WalletOptions.nonce(), keys.kem().privateKey(), file, progress(spec, "opened", -1));
          }
          spec.commandLine().getErr().println();
          Files.move(partial, outFile, StandardCopyOption.REPLACE_EXISTING);
          out.printf("%s: %d bytes decrypted into %s; the read is logged (transaction %s)%n", record.recordId,
              read.plaintextBytes(), outFile, read.readTransaction());
        } finally {
          Files.deleteIfExists(partial);
        }
      });
    }
  }

  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Gives an identity access to a record for a while: the record key is re-wrapped for it here.")
  static final class Grant implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Mixin RecordOf record;
    @Option(names = "--to", required = true, description = "The grantee's identity id") String grantee;
    @Option(names = "--purpose", defaultValue = "TREAT",
        description = "An HL7 v3 PurposeOfUse code the grantee may read for: TREAT, ETREAT, CAREMGT, PATRQT, CLINTRCH,"
            + " HRESCH, PUBHLTH, HOPERAT, HPAYMT (default: ${DEFAULT-VALUE})")
    String purpose;
    @Option(names = "--from", description = "When the access starts, ISO-8601 (default: now)") Instant from;
    @Option(names = "--for", defaultValue = "1d", description = "How long: 30m, 12h, 7d, … (default: ${DEFAULT-VALUE})")
    String period;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        Instant start = from == null ? Instant.now() : from;
        long until = start.plus(duration(period)).toEpochMilli();
        ConsentPolicy consent;
        try {
          consent = ConsentPolicy.access(purpose, start.toEpochMilli());
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        JsonNode granted = options.records(keys).grant(record.binding(), grantee, consent.encode(), until,
            keys.signing(), WalletOptions.nonce(), keys.kem().privateKey()).body();
        out.printf("granted %s to %s for %s from %s until %s (block %d)%n", record.recordId, grantee, purpose, start,
            Instant.ofEpochMilli(until), granted.get("height").asLong());
      });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Ends a grant; every node deletes its envelope.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--record-id", required = true) String recordId;
    @Option(names = "--to", required = true, description = "The grantee's identity id") String grantee;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        JsonNode revoked = options.records(keys).submit(new TxBody.AccessRevoked(recordId, grantee), keys.signing(),
            WalletOptions.nonce()).body();
        out.printf("revoked %s's access to %s (block %d)%n", grantee, recordId, revoked.get("height").asLong());
      });
    }
  }

  @Command(name = "erase", mixinStandardHelpOptions = true,
      description = "Erases a record: every node deletes its ciphertext and envelopes; the chain keeps the anchor's digest.")
  static final class Erase implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--record-id", required = true) String recordId;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        JsonNode erased = options.records(keys).submit(new TxBody.RecordErased(recordId), keys.signing(),
            WalletOptions.nonce()).body();
        out.printf("erased %s (block %d)%n", recordId, erased.get("height").asLong());
      });
    }
  }

  @Command(name = "log", mixinStandardHelpOptions = true,
      description = "What the patient is told: records anchored, grants, revocations, expiries, reads, erasures.")
  static final class Log implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--patient", description = "The patient's pseudonym (default: the wallet's identity)") String patient;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        String pseudonym = patient == null ? keys.identityId() : patient;
        JsonNode notes = options.records(keys).notifications(pseudonym, -1, -1);
        out.printf("%-8s %-16s %-14s %-16s %s%n", "block", "what", "record", "who", "purpose / until");
        for (JsonNode note : notes.get("notifications")) {
          String who = note.path("reader").isTextual() ? note.get("reader").asText()
              : note.path("grantee").isTextual() ? note.get("grantee").asText() : note.get("submitter").asText();
          String detail = note.path("purpose").isTextual() ? note.get("purpose").asText() : "";
          if (note.get("notAfterMillis").asLong() > 0) {
            detail += (detail.isEmpty() ? "" : ", ") + "until " + Instant.ofEpochMilli(note.get("notAfterMillis").asLong());
          }
          out.printf("%-8s %-16s %-14s %-16s %s%n", note.get("height").asLong() + "." + note.get("index").asInt(),
              note.get("type").asText().toLowerCase(Locale.ROOT).replace('_', ' '), note.path("recordId").asText(""),
              who, detail);
        }
      });
    }
  }

  @Command(name = "break-glass", mixinStandardHelpOptions = true,
      description = "Opens a record without a grant in an emergency: logged with the justification, an alert to the"
          + " patient and to its hospital's privacy officer; read it with --purpose ETREAT once the hospital shares the key.")
  static final class BreakGlass implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--record-id", required = true) String recordId;
    @Option(names = "--justification", required = true, description = "Why, in words (at least 10 characters)")
    String justification;
    @Option(names = "--for", defaultValue = "1h", description = "How long, at most 4h (default: ${DEFAULT-VALUE})")
    String period;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        long until = Instant.now().plus(duration(period)).toEpochMilli();
        JsonNode opened = options.records(keys).submit(new TxBody.BreakGlass(recordId, keys.identityId(), justification,
            until), keys.signing(), WalletOptions.nonce()).body();
        out.printf("broke the glass on %s until %s (block %d): the patient and the privacy officer are told%n", recordId,
            Instant.ofEpochMilli(until), opened.get("height").asLong());
      });
    }
  }

  @Command(name = "share", mixinStandardHelpOptions = true,
      description = "Re-wraps the record key here for an identity and stores its envelope, without a grant"
          + " (a hospital's custodian answering a break-glass).")
  static final class Share implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Mixin RecordOf record;
    @Option(names = "--to", required = true, description = "The identity to wrap the key for") String grantee;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        var hash = options.records(keys).share(record.binding(), grantee, keys.kem().privateKey());
        out.printf("shared the key of %s with %s (envelope %s)%n", record.recordId, grantee, hash.hex());
      });
    }
  }

  @Command(name = "alerts", mixinStandardHelpOptions = true,
      description = "Break-glass openings of the organisation's patients' records (its privacy officer only).")
  static final class Alerts implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin WalletOptions options;
    @Option(names = "--organisation", required = true) String organisation;

    @Override
    public Integer call() {
      return options.run(spec, (keys, out) -> {
        JsonNode alerts = options.records(keys).alerts(organisation);
        for (JsonNode alert : alerts.get("alerts")) {
          out.printf("block %d: %s opened %s of %s until %s: %s%n", alert.get("height").asLong(),
              alert.get("clinician").asText(), alert.get("recordId").asText(), alert.get("pseudonym").asText(),
              Instant.ofEpochMilli(alert.get("notAfterMillis").asLong()), alert.get("justification").asText());
        }
      });
    }
  }

  /** {@code 30m}, {@code 12h}, {@code 7d}, or an ISO-8601 duration. */
  static Duration duration(String text) {
    try {
      if (text.matches("\\d+[smhd]")) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new CommandLine.ParameterException(new CommandLine(new RecordCommand.Grant()),
          "a period is 30m, 12h, 7d or an ISO-8601 duration, not '" + text + "'");
    }
  }
}
