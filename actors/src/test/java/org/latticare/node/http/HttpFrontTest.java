package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.latticare.node.TestCluster;

/** The JSON API of a one-node consortium, over real HTTP on a loopback port. */
class HttpFrontTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestCluster cluster;
  private static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(1, List.of(List.of("verifier", "producer", "front")));
    binding = HttpFront.bind(cluster.kits.get(0).system(), cluster.nodes.get(0), "127.0.0.1", 0)
        .toCompletableFuture().get();
  }

  @AfterAll
  static void stop() {
    binding.unbind();
    cluster.shutdown();
  }

  private record Reply(int status, JsonNode body) {}

  private static Reply send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  @Test
  void healthIsUpOnceTheClusterAndChainAre() throws Exception {
    Reply health = send("GET", "/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().get("status").asText()).isEqualTo("up");
    assertThat(health.body().get("membersUp").asInt()).isEqualTo(1);
  }

  @Test
  void clusterShowsMembersWithRolesAndTheRing() throws Exception {
    Reply cluster = send("GET", "/api/cluster", null);
    assertThat(cluster.status()).isEqualTo(200);
    JsonNode member = cluster.body().get("members").get(0);
    assertThat(member.get("status").asText()).isEqualTo("Up");
    assertThat(member.get("roles")).extracting(JsonNode::asText).containsExactly("front", "producer", "verifier");
    assertThat(cluster.body().get("ring").get(0).get("nodeId").asText()).isEqualTo("node-1");
  }

  @Test
  void ringPingReturnsOneHopPerVerifierWithAVerifiedAccumulator() throws Exception {
    Reply ping = send("POST", "/api/ring/ping", null);
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.body().get("hops")).hasSize(1);
    assertThat(ping.body().get("accumulatorVerified").asBoolean()).isTrue();
    assertThat(ping.body().get("latencyMicros").asLong()).isPositive();

    Reply several = send("POST", "/api/ring/ping", "{\"passes\": 3}");
    assertThat(several.body().get("latenciesMicros")).hasSize(3);
  }

  @Test
  void anAcceptedBlockIsOnChainAndBadInputIsRefusedWithoutChangingIt() throws Exception {
    long before = send("GET", "/api/chain/head", null).body().get("height").asLong();

    List<String> badBodies = List.of("{\"entries\": []}", "{\"entries\": [\"\"]}", "{\"entries\": [1]}",
        "{\"entries\": \"x\"}", "{\"entries\": [\"x\"], \"extra\": 1}", "[1, 2]", "{not json", "\"text\"");
    for (String bad : badBodies) {
      Reply refused = send("POST", "/api/chain/blocks", bad);
      assertThat(refused.status()).as(bad).isEqualTo(400);
      assertThat(refused.body().get("error").asText()).isNotBlank();
    }
    Reply tooBig = send("POST", "/api/chain/blocks", "{\"entries\": [\"" + "a".repeat(70_000) + "\"]}");
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(send("GET", "/api/chain/head", null).body().get("height").asLong()).isEqualTo(before);

    Reply created = send("POST", "/api/chain/blocks", "{\"entries\": [\"consent form v2\"]}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("height").asLong()).isEqualTo(before + 1);
    JsonNode head = send("GET", "/api/chain/head", null).body();
    assertThat(head.get("hash").asText()).isEqualTo(created.body().get("hash").asText());
    JsonNode block = send("GET", "/api/chain/blocks/" + (before + 1), null).body();
    assertThat(block.get("entries").get(0).asText()).isEqualTo("consent form v2");
  }

  @Test
  void unknownPathsMethodsAndValuesGetClearErrors() throws Exception {
    assertThat(send("GET", "/api/nothing", null).status()).isEqualTo(404);
    assertThat(send("DELETE", "/api/chain/head", null).status()).isEqualTo(405);
    assertThat(send("GET", "/api/chain/blocks/999999", null).status()).isEqualTo(404);
    Reply badPasses = send("POST", "/api/ring/ping", "{\"passes\": 100}");
    assertThat(badPasses.status()).isEqualTo(400);
    assertThat(badPasses.body().get("error").asText()).contains("passes");
  }
}
