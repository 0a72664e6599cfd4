package org.latticare.node.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.ledger.Transaction;
import org.latticare.node.http.auth.RequestSigner;

/**
 * A client of the HTTP API acting as one enrolled identity: every request it sends is signed with that
 * identity's ML-DSA-65 key (RFC 9421, {@link RequestSigner}). What the CLI's demo, the benchmarks and
 * the tests use; the answer is the status and the JSON body.
 */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer of the API: its status and JSON body ({@code code} and {@code message} on errors). */
  public record Answer(int status, JsonNode body) {
    public String code() {
      return body.path("code").asText("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final HttpClient http;
  private final URI base;
  private final RequestSigner signer;
  private final String identityId;

  public ApiClient(HttpClient http, URI base, String identityId, MlDsa65.KeyPair key) {
    this.http = http;
    this.base = base;
    this.identityId = identityId;
    this.signer = new RequestSigner(identityId, key);
  }

  public static HttpClient httpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String identityId() {
    return identityId;
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return send(signed("GET", path, new byte[0]));
  }

  public Answer post(String path, String json) throws IOException, InterruptedException {
    return send(signed("POST", path, json.getBytes(StandardCharsets.UTF_8)));
  }

  /** Submits a signed transaction; 201 once committed, 400 with the ledger's code if refused. */
  public Answer submit(Transaction tx) throws IOException, InterruptedException {
    return post("/api/transactions", submitBody(tx));
  }

  public static String submitBody(Transaction tx) {
    return "{\"transaction\":\"" + Base64.getEncoder().encodeToString(tx.encode()) + "\"}";
  }

  /** A signed request ready to send, e.g. to send it twice (a replay) or to time only the sending. */
  public HttpRequest signed(String method, String path, byte[] body) {
    return signed(method, path, body, "application/json");
  }

  public HttpRequest signed(String method, String path, byte[] body, String contentType) {
    return signer.request(method, base.resolve(path), body, contentType).timeout(Duration.ofSeconds(30)).build();
  }

  public HttpClient http() {
    return http;
  }

  public URI base() {
    return base;
  }

  public Answer send(HttpRequest request) throws IOException, InterruptedException {
    return send(http, request);
  }

  /** Sends any request, signed or not (an open endpoint, a bearer token), and reads the answer. */
  public static Answer send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String text = response.body();
    return new Answer(response.statusCode(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
  }
}
