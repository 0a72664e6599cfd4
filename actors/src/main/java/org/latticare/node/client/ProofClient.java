package org.latticare.node.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.client.RecordClient.ApiException;
import org.latticare.node.http.auth.LoginNonces;
import org.latticare.zkp.nizk.NonInteractiveProof;
import org.latticare.zkp.protocol.Outcome;
import org.latticare.zkp.ring.MessageCodec;
import org.latticare.zkp.ring.ProverSession;
import org.latticare.zkp.ring.RingChallengeIdentification;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingMembers;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.sigma.IdentityKeyPair;
import org.latticare.zkp.wire.Decoded;

/**
 * A patient's device proving its identity to the consortium over HTTP, with the secret key in this process
 * only: {@link #proveOverRing} runs the ring session ({@link ProverSession}) through the patient's gateway,
 * every request signed by the patient's identity, and {@link #logIn} sends a non-interactive proof over a
 * fresh nonce. Both end in a token for the patient's own views ({@link #getWithToken}); a refusal is an
 * {@link ApiException} with the API's code.
 */
public final class ProofClient {

  /** A bearer token for the patient's own views, until {@code expiresAtMillis}. */
  public record Token(String token, String pseudonym, String issuer, long expiresAtMillis, String evidence) {
    static Token of(JsonNode body) {
      return new Token(body.path("token").asText(), body.path("pseudonym").asText(), body.path("issuer").asText(),
          body.path("expiresAtMillis").asLong(), body.path("evidence").asText());
    }
  }

  /** Hears of each challenge of a session before the prover answers it: its index and frame (base64), as the ring sent it. */
  @FunctionalInterface
  public interface Challenges {
    Challenges IGNORED = (index, frame) -> { };

    void challenge(int index, String frame) throws IOException, InterruptedException;
  }

  /** Sessions refused as RING_BUSY are opened again this many times, after a pause that grows to 2 s. */
  static final int BUSY_TRIES = 30;
  private static final String RING_BUSY = "RING_BUSY";
  private static final Duration SESSION_DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient patient;

  /** @param patient a client signing as the patient, whose identity id is its pseudonym */
  public ProofClient(ApiClient patient) {
    this.patient = patient;
  }

  /** Runs a ring session for the patient with {@code keys} and takes the session's token once it ends identified. */
  public Token proveOverRing(IdentityKeyPair keys) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      JsonNode opened = openSession();
      JsonNode finished = runSession(keys, opened, Challenges.IGNORED);
      if (finished.get("identified").asBoolean()) {
        return token(opened.get("session").asText());
      }
      String code = finished.get("code").asText();
      if (!code.equals(RING_BUSY) || attempt + 1 >= BUSY_TRIES) {
        throw new ApiException(403, code, finished.path("detail").asText());
      }
      pause(attempt);
    }
  }

  /** The token of a session that ended identified (once per session). */
  public Token token(String session) throws IOException, InterruptedException {
    return Token.of(expect(201, patient.post(proofs() + "/" + session + "/token", "")).body());
  }

  /**
   * Proves in the session {@code opened} describes (the answer of {@link #openSession}): the first commitment,
   * then an answer to every challenge the ring sends, until the session's outcome, which this returns (the
   * {@code finished} event: {@code identified}, {@code code}, {@code detail}, …); {@code challenges} hears of each
   * challenge first.
   */
  public JsonNode runSession(IdentityKeyPair keys, JsonNode opened, Challenges challenges)
      throws IOException, InterruptedException {
    String session = opened.get("session").asText();
    IdentificationParameters p = keys.publicKey().parameters();
    if (opened.get("parameterSet").asInt() != p.id()) {
      throw new ApiException(409, "PARAMETER_SET", "the session runs parameter set " + opened.get("parameterSetName")
          + ", the key is " + p.name());
    }
    String at = proofs() + "/" + session;
    ProverSession prover = start(keys, opened, at);
    long deadline = System.nanoTime() + SESSION_DEADLINE.toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      for (JsonNode event : expect(200, patient.get(at + "/events?after=" + last)).body().get("events")) {
        last = event.get("index").asInt();
        switch (event.get("type").asText()) {
          case "finished" -> {
            return event;
          }
          case "ring" -> prover = start(keys, event, at);
          default -> {
            challenges.challenge(last, event.get("frame").asText());
            Decoded<Message> challenge = MessageCodec.decode(p, Base64.getDecoder().decode(event.get("frame").asText()));
            if (!challenge.ok()) {
              throw new ApiException(502, "BAD_FRAME", "the ring sent a challenge that does not decode: " + challenge);
            }
            Outcome<ProverSession, Message> out = prover.onMessage(challenge.orElseThrow());
            if (out.refused()) {
              throw new ApiException(502, "BAD_CHALLENGE", "the prover refused the ring's challenge: " + out);
            }
            prover = out.state();
            send(at, p, out.messages());
          }
        }
      }
    }
    throw new ApiException(504, "TIMED_OUT", "session " + session + " did not end within " + SESSION_DEADLINE);
  }

  /**
   * A prover on {@code ring}'s verifiers (the session's first ring, or one it was moved to after the ring lost a
   * verifier), under its protocol session; its first commitment is sent.
   */
  private ProverSession start(IdentityKeyPair keys, JsonNode ring, String at) throws IOException, InterruptedException {
    List<byte[]> members = new ArrayList<>();
    ring.get("ring").forEach(seat -> members.add(Base64.getDecoder().decode(seat.get("publicKey").asText())));
    Outcome<ProverSession, Message> out = ProverSession.start(keys, new RingMembers(members),
        new RingChallengeIdentification.Settings(ring.get("rounds").asInt(), ring.get("maxAttempts").asInt()),
        ring.get("protocolSession").asText(), RandomSource.secure());
    send(at, keys.publicKey().parameters(), out.messages());
    return out.state();
  }

  private String proofs() {
    return "/api/patients/" + patient.identityId() + "/proofs";
  }

  /** Opens a session (its id, ring, rounds and attempts), opening another after a pause while every verifier seat is taken. */
  public JsonNode openSession() throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      Answer answer = patient.post(proofs(), "");
      if (answer.status() == 201) {
        return answer.body();
      }
      if (!answer.code().equals(RING_BUSY) || attempt + 1 >= BUSY_TRIES) {
        throw RecordClient.ApiException.of(answer);
      }
      pause(attempt);
    }
  }

  private static void pause(int attempt) throws InterruptedException {
    Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
  }

  /** Sends the prover's frames; a session that ended meanwhile (a seat refused it) takes no more, and says how in its events. */
  private void send(String at, IdentificationParameters p, List<Message> messages)
      throws IOException, InterruptedException {
    for (Message message : messages) {
      ObjectNode body = JSON.createObjectNode().put("frame",
          Base64.getEncoder().encodeToString(MessageCodec.encode(p, message)));
      Answer answer = patient.post(at + "/messages", body.toString());
      if (answer.status() == 409 && answer.code().equals("SESSION_ENDED")) {
        return;
      }
      expect(204, answer);
    }
  }

  /**
   * Logs {@code pseudonym} in at the front {@code base} with a non-interactive proof by {@code keys} over a nonce
   * that front issued (unsigned requests: the proof is the credential).
   */
  public static Token logIn(HttpClient http, URI base, String pseudonym, IdentityKeyPair keys)
      throws IOException, InterruptedException {
    String nonce = expect(201, ApiClient.send(http, open(base, "/api/identity/nonces", "{}"))).body()
        .get("nonce").asText();
    byte[] proof = NonInteractiveProof.prove(keys, LoginNonces.context(nonce, pseudonym), RandomSource.secure())
        .proof().encode();
    return Token.of(expect(201, ApiClient.send(http, open(base, "/api/identity/tokens", loginBody(pseudonym, nonce,
        proof)))).body());
  }

  /** The body of {@code POST /api/identity/tokens}. */
  public static String loginBody(String pseudonym, String nonce, byte[] proof) {
    return JSON.createObjectNode().put("pseudonym", pseudonym).put("nonce", nonce)
        .put("proof", Base64.getEncoder().encodeToString(proof)).toString();
  }

  /** An unsigned request with a JSON body, for the login's open endpoints. */
  public static HttpRequest open(URI base, String path, String json) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
  }

  /** {@code GET path} with the token in place of a signature: the patient's own views only. */
  public static Answer getWithToken(HttpClient http, URI base, String path, String token)
      throws IOException, InterruptedException {
    return ApiClient.send(http, HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build());
  }

  private static Answer expect(int status, Answer answer) throws ApiException {
    if (answer.status() != status) {
      throw RecordClient.ApiException.of(answer);
    }
    return answer;
  }
}
