package org.latticare.node.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

import org.latticare.ledger.MlDsa65;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.EmbeddedConsortium;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latticare demo}: walks one patient through the record flows against a running
 * {@code latticare up}, signing with the embedded consortium's client keys, and prints each
 * transaction as the chain committed it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Against a running './latticare up': enrol a patient, anchor a record, grant, read, revoke, erase.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "The front (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--data-dir", defaultValue = "data", description = "The data directory of 'up' (client keys)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path keys = EmbeddedConsortium.clientKeys(dataDir);
    MlDsa65.KeyPair admin = ConsortiumFiles.readKey(keys.resolve("admin.key"));
    MlDsa65.KeyPair clinician = ConsortiumFiles.readKey(keys.resolve("clinician.key"));
    long nonce = System.currentTimeMillis() * 1000;
    String run = Long.toString(nonce, 36);
    String pseudonym = "p-" + run;
    String record = "r-" + run;
    byte[] ciphertext = ("(ciphertext of a discharge letter, " + run + ")").getBytes();
    List<Transaction> flow = List.of(
        Transaction.sign(admin, "admin", nonce, System.currentTimeMillis(),
            new TxBody.PatientEnrolled(pseudonym, new byte[32], Sha3Hash.of(pseudonym.getBytes()))),
        Transaction.sign(admin, "admin", nonce + 1, System.currentTimeMillis(),
            new TxBody.RecordAnchored(record, pseudonym, Sha3Hash.of(ciphertext), ciphertext.length, "chain", ciphertext)),
        Transaction.sign(admin, "admin", nonce + 2, System.currentTimeMillis(),
            new TxBody.AccessGranted(record, "clinician", "role=clinician;purpose=care",
                System.currentTimeMillis() + 86_400_000, new byte[0])),
        Transaction.sign(clinician, "clinician", nonce, System.currentTimeMillis(),
            new TxBody.RecordAccessed(record, "clinician", "follow-up visit")),
        Transaction.sign(admin, "admin", nonce + 3, System.currentTimeMillis(),
            new TxBody.AccessRevoked(record, "clinician")),
        Transaction.sign(admin, "admin", nonce + 4, System.currentTimeMillis(), new TxBody.RecordErased(record)),
        Transaction.sign(clinician, "clinician", nonce + 1, System.currentTimeMillis(),
            new TxBody.RecordAccessed(record, "clinician", "after erasure")));
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (Transaction tx : flow) {
      String body = "{\"transaction\": \"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + "/api/transactions"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      System.out.printf("%-16s %-10s -> %d %s%n", tx.type(), tx.submitter(), response.statusCode(), response.body());
    }
    System.out.printf("%nWho touched %s: %s/api/patients/%s/transactions%n", pseudonym, url, pseudonym);
    return 0;
  }
}
