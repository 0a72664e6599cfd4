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
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.TestCluster;
import org.latticare.node.client.ApiClient;
import org.latticare.node.http.HttpFront;
import picocli.CommandLine;

/**
 * A one-node consortium with its front, wallets in a temporary directory sharing one passphrase file,
 * and {@code latticare …} run in this JVM: what the wallet tests use.
 */
final class WalletConsortium implements AutoCloseable {

  /** A command's exit code and what it printed. */
  record Run(int exit, String out, String err) {}

  private static final AtomicLong NONCES = new AtomicLong(System.currentTimeMillis());

  final TestCluster cluster;
  final String url;
  final Path dir;
  final Path passphrase;
  private final ServerBinding binding;

  private WalletConsortium(TestCluster cluster, ServerBinding binding, Path dir) throws Exception {
    this.cluster = cluster;
    this.binding = binding;
    this.url = "http://127.0.0.1:" + binding.localAddress().getPort();
    this.dir = dir;
    this.passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "a long enough passphrase\n");
  }

  static WalletConsortium start() throws Exception {
    TestCluster cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    ServerBinding binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0)
        .toCompletableFuture().get();
    return new WalletConsortium(cluster, binding, Files.createTempDirectory("latticare-wallets"));
  }

  @Override
  public void close() {
    binding.unbind();
    cluster.shutdown();
  }

  /** {@code latticare args…} in this JVM. */
  static Run latticare(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LatticareCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code latticare args…} with wallet {@code wallet}, this consortium's front and the passphrase file. */
  Run as(String wallet, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--wallet", dir.resolve(wallet).toString(), "--url", url, "--passphrase-file", passphrase.toString()));
    return latticare(all.toArray(String[]::new));
  }

  /** {@code wallet init} for {@code id} in a wallet of that name (cheap Argon2 for tests). */
  Run init(String id, String wallet) {
    return latticare("wallet", "init", "--id", id, "--wallet", dir.resolve(wallet).toString(), "--passphrase-file",
        passphrase.toString(), "--argon2-memory-mib", "8");
  }

  /** Makes a wallet named after {@code id} and has {@code admin} enrol it with the public keys it printed. */
  Run enrolledWallet(String admin, String id, String role, String organisation) throws Exception {
    Run init = init(id, id);
    assertThat(init.exit()).as(init.err()).isZero();
    submit(admin, new TxBody.IdentityEnrolled(new TxBody.Identity(id, role, organisation,
        printed(init, WalletCommand.PUBLIC_KEYS))));
    return init;
  }

  /** The key {@code wallet init} or {@code show} printed on the line after the one starting with {@code label}. */
  static byte[] printed(Run run, String label) {
    List<String> lines = run.out().lines().toList();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith(label)) {
        return Base64.getDecoder().decode(lines.get(i + 1).strip());
      }
    }
    throw new AssertionError("no line '" + label + "…' in " + run.out());
  }

  /** {@code body} signed by the embedded client {@code id} and committed. */
  void submit(String id, TxBody body) throws Exception {
    ApiClient client = new ApiClient(ApiClient.httpClient(), URI.create(url), id, cluster.clientKey(id));
    assertThat(client.submit(Transaction.sign(cluster.clientKey(id), id, NONCES.incrementAndGet(),
        System.currentTimeMillis(), body)).status()).isEqualTo(201);
  }
}
