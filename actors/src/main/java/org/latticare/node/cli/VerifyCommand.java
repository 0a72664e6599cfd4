package org.latticare.node.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.latticare.ledger.Block;
import org.latticare.ledger.verify.ChainVerifier;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.client.ApiClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code latticare verify}: fetches a node's chain through its front and checks every block against the
 * consortium's genesis block held locally ({@link ChainVerifier}): links, Merkle roots, producers and their
 * signatures, every transaction's signature and rules. The node is trusted for nothing: the blocks are checked
 * from their canonical bytes. Requests are signed with a wallet unless {@code --unsigned} (for a node whose
 * operator opened the chain views).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verifies a node's chain from its genesis block, trusting the node for nothing; reports the first"
        + " bad block. Exit code 0 if every block verifies, 1 if one does not.")
final class VerifyCommand implements Callable<Integer> {

  @Mixin WalletOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--genesis", required = true, description = "The consortium's genesis block (a file you trust)")
  Path genesisFile;

  @Option(names = "--unsigned", description = "Do not sign requests (the node opened its chain views)")
  boolean unsigned;

  @Override
  public Integer call() throws Exception {
    Block genesis = ConsortiumFiles.readGenesis(genesisFile);
    ApiClient client = unsigned ? null : options.api(options.open());
    URI base = options.url;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode head = get(client, base, "/api/chain/head");
    long height = head.path("height").asLong(-1);
    if (height < 0) {
      err.println("the node's head has no height: " + head);
      return 2;
    }
    long started = System.nanoTime();
    ChainVerifier.Result result = ChainVerifier.verify(genesis, height,
        h -> Base64.getDecoder().decode(get(client, base, "/api/chain/blocks/" + h).path("encoded").asText()),
        ForkJoinPool.commonPool(), h -> progress(err, h, height));
    err.println();
    err.flush();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (result.ok()) {
      out.printf("verified %d blocks (0 to %d) against the genesis block in %.1f s; head %s%n",
          result.verified(), height, seconds, result.headHash());
      return 0;
    }
    out.printf("block %d does not verify: %s%n(%d blocks before it verified; last good block %s)%n",
        result.failedAt(), result.reason(), result.verified(), result.headHash());
    return 1;
  }

  private static void progress(PrintWriter err, long height, long head) {
    if (height % 100 == 0 || height == head) {
      int width = 40;
      int done = head == 0 ? width : (int) (width * height / head);
      err.printf("\r[%s%s] %d/%d", "#".repeat(done), " ".repeat(width - done), height, head);
    }
  }

  private static final HttpClient HTTP = ApiClient.httpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode get(ApiClient client, URI base, String path) throws Exception {
    if (client != null) {
      ApiClient.Answer answer = client.get(path);
      if (answer.status() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + answer.status() + " " + answer.code());
      }
      return answer.body();
    }
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
