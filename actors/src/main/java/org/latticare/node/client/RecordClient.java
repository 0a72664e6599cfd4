package org.latticare.node.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.latticare.lattice.kem.RecordBinding;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.client.ApiClient.Answer;
import org.latticare.node.records.RecordFrame;

/**
 * A client's side of records: it seals a record locally and stores it through the front a chunk at a
 * time (the plaintext never leaves the client, and no more than a chunk is in memory), and it reads one
 * back: its {@code RecordAccessed} signed, the sealed record streamed, opened locally with the reader's
 * ML-KEM-768 key for the record the reader expects, its digest checked against the one its anchor names. Every refusal is an {@link ApiException} with the API's code.
 */
public final class RecordClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the front refused, with the API's (or the ledger's) stable code. */
  public static final class ApiException extends IOException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
      super(status + " " + code + ": " + message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    static ApiException of(Answer answer) {
      return new ApiException(answer.status(), answer.code(), answer.body().path("message").asText(""));
    }
  }

  /** Stored on {@code nodes} nodes: what the anchor names. */
  public record Stored(String recordId, Sha3Hash digest, long bytes, int chunks, int nodes) {}

  private final ApiClient api;
  private final RecordEncryption encryption;

  public RecordClient(ApiClient api, RecordEncryption encryption) {
    this.api = api;
    this.encryption = encryption;
  }

  /**
   * Seals {@code plaintext} for {@code grantees} (the patient's envelope among them) and stores it;
   * {@code progress} hears the plaintext bytes sent so far.
   */
  public Stored store(String recordId, String pseudonym, InputStream plaintext, List<RecordEncryption.Grantee> grantees,
      LongConsumer progress) throws IOException, InterruptedException {
    RecordEncryption.Sealer sealer = encryption.sealer(new RecordBinding(recordId, pseudonym), grantees);
    ObjectNode begin = JSON.createObjectNode().put("recordId", recordId).put("pseudonym", pseudonym)
        .put("header", Base64.getEncoder().encodeToString(sealer.header().encode()));
    ArrayNode envelopes = begin.putArray("envelopes");
    for (RecordEncryption.Envelope envelope : sealer.envelopes()) {
      envelopes.addObject().put("granteeId", envelope.granteeId())
          .put("envelope", Base64.getEncoder().encodeToString(envelope.encode()));
    }
    expect(api.post("/api/records", JSON.writeValueAsString(begin)), 201);
    int piece = sealer.header().chunkBytes();
    byte[] buffer = new byte[piece];
    long sent = 0;
    int index = 0;
    try (InputStream in = plaintext) {
      int length = in.readNBytes(buffer, 0, piece);
      while (true) {
        // a full chunk is the last only if nothing follows it
        boolean last = length < piece;
        byte[] next = null;
        int nextLength = 0;
        if (!last) {
          next = new byte[piece];
          nextLength = in.readNBytes(next, 0, piece);
          last = nextLength == 0;
        }
        byte[] chunk = sealer.seal(buffer, 0, length, last);
        expect(api.send(api.signed("PUT", "/api/records/" + recordId + "/chunks/" + index, chunk,
            "application/octet-stream")), 204);
        index++;
        sent += length;
        progress.accept(sent);
        if (last) {
          break;
        }
        buffer = next;
        length = nextLength;
      }
    }
    Answer stored = expect(api.post("/api/records/" + recordId + "/complete", "{\"chunks\": " + index + "}"), 201);
    JsonNode body = stored.body();
    return new Stored(recordId, Sha3Hash.fromHex(body.get("digest").asText()), body.get("bytes").asLong(),
        body.get("chunks").asInt(), body.get("nodes").asInt());
  }

  /** Anchors a stored record on chain, signed with {@code transactionKey}: its digest and size only. */
  public Answer anchor(Stored stored, String pseudonym, org.latticare.lattice.sign.MlDsa65.KeyPair transactionKey, long nonce)
      throws IOException, InterruptedException {
    return submit(new TxBody.RecordAnchored(stored.recordId(), pseudonym, stored.digest(), stored.bytes(), "store",
        new byte[0]), transactionKey, nonce);
  }

  /** Signs and submits a transaction as this client's identity; the answer once committed, else {@link ApiException}. */
  public Answer submit(TxBody body, org.latticare.lattice.sign.MlDsa65.KeyPair transactionKey, long nonce)
      throws IOException, InterruptedException {
    return expect(api.submit(Transaction.sign(transactionKey, api.identityId(), nonce, System.currentTimeMillis(), body)),
        201);
  }

  /** The patient's notifications after a chain position ({@code -1, -1} for all), for the patient or its privacy officer. */
  public JsonNode notifications(String pseudonym, long afterHeight, int afterIndex) throws IOException, InterruptedException {
    return expect(api.get("/api/patients/" + pseudonym + "/notifications?afterHeight=" + afterHeight + "&afterIndex="
        + afterIndex), 200).body();
  }

  /** Stores an envelope of the record for a grantee; its hash is what the grant carries. */
  public Sha3Hash putEnvelope(String recordId, RecordEncryption.Envelope envelope) throws IOException, InterruptedException {
    String body = "{\"envelope\": \"" + Base64.getEncoder().encodeToString(envelope.encode()) + "\"}";
    Answer stored = expect(api.send(api.signed("PUT", "/api/records/" + recordId + "/envelopes/" + envelope.granteeId(),
        body.getBytes(StandardCharsets.UTF_8))), 201);
    return Sha3Hash.fromHex(stored.body().get("envelopeHash").asText());
  }

  /** An enrolled identity's ML-KEM-768 key, from the chain; {@link ApiException} {@code NO_KEM_KEY} if it has none. */
  public RecordEncryption.Grantee grantee(String identityId) throws IOException, InterruptedException {
    Answer identity = expect(api.get("/api/identities/" + identityId), 200);
    JsonNode kem = identity.body().get("kemKey");
    if (kem == null || kem.isNull()) {
      throw new ApiException(200, "NO_KEM_KEY", "'" + identityId + "' has no ML-KEM-768 key on chain: no record key"
          + " can be wrapped for it");
    }
    return new RecordEncryption.Grantee(identityId, Base64.getDecoder().decode(kem.asText()));
  }

  /**
   * Grants {@code grantee} the record until {@code notAfterMillis} under {@code policy} (a
   * {@code ConsentPolicy} encoding, or a label): the record key re-wrapped locally from
   * the caller's own envelope, the new envelope stored on the nodes, and the grant, carrying its hash,
   * submitted (signed with {@code transactionKey}). The caller's private key never leaves the client.
   */
  public Answer grant(RecordBinding record, String granteeId, String policy, long notAfterMillis,
      org.latticare.lattice.sign.MlDsa65.KeyPair transactionKey, long nonce, byte[] kemPrivateKey)
      throws IOException, InterruptedException {
    Sha3Hash envelopeHash = share(record, granteeId, kemPrivateKey);
    return submit(new TxBody.AccessGranted(record.recordId(), granteeId, policy, notAfterMillis, envelopeHash.bytes()),
        transactionKey, nonce);
  }

  /**
   * Re-wraps the record key from the caller's own envelope to {@code granteeId}'s ML-KEM key (from the
   * chain) and stores the new envelope on the nodes, without a grant: what a hospital's custodian does
   * for a clinician who broke the glass. Returns the envelope's hash.
   */
  public Sha3Hash share(RecordBinding record, String granteeId, byte[] kemPrivateKey)
      throws IOException, InterruptedException {
    Answer own = expect(api.get("/api/records/" + record.recordId() + "/envelopes/" + api.identityId()), 200);
    RecordEncryption.Header header = RecordEncryption.Header.decode(Base64.getDecoder().decode(own.body().get("header").asText()));
    RecordEncryption.Envelope mine = RecordEncryption.Envelope.decode(
        Base64.getDecoder().decode(own.body().get("envelope").asText()));
    return putEnvelope(record.recordId(), encryption.grant(header, record, mine, kemPrivateKey, grantee(granteeId)));
  }

  /** An organisation's break-glass alerts, for its privacy officer. */
  public JsonNode alerts(String organisation) throws IOException, InterruptedException {
    return expect(api.get("/api/organisations/" + organisation + "/alerts"), 200).body();
  }

  /** A read's outcome: the digest the store reports and the hash of the committed log entry. */
  public record Read(Sha3Hash digest, String readTransaction, long plaintextBytes) {}

  /**
   * Logs the read ({@code RecordAccessed} signed with {@code transactionKey}) and writes the record's
   * plaintext to {@code out}, opened with {@code kemPrivateKey} for the record {@code expected}.
   */
  public Read read(RecordBinding expected, String purpose, org.latticare.lattice.sign.MlDsa65.KeyPair transactionKey,
      long nonce, byte[] kemPrivateKey, OutputStream out, LongConsumer progress) throws IOException, InterruptedException {
    Transaction accessed = Transaction.sign(transactionKey, api.identityId(), nonce, System.currentTimeMillis(),
        new TxBody.RecordAccessed(expected.recordId(), api.identityId(), purpose));
    HttpRequest request = api.signed("POST", "/api/records/" + expected.recordId() + "/read",
        ApiClient.submitBody(accessed).getBytes(StandardCharsets.UTF_8));
    HttpResponse<InputStream> response = api.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        throw ApiException.of(new Answer(response.statusCode(), text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text)));
      }
      RecordFrame.Opened frame = RecordFrame.read(body);
      RecordEncryption.Header header = RecordEncryption.Header.decode(frame.header());
      RecordEncryption.Opener opener = encryption.opener(header, expected,
          RecordEncryption.Envelope.decode(frame.envelope()), kemPrivateKey);
      DigestingInputStream ciphertext = new DigestingInputStream(frame.ciphertext(), frame.header());
      long written = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream plaintext = opener.opening(ciphertext)) {
        for (int n; (n = plaintext.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          written += n;
          progress.accept(written);
        }
      }
      Sha3Hash reported = Sha3Hash.fromHex(response.headers().firstValue("Latticare-Record-Digest").orElseThrow());
      String anchored = response.headers().firstValue("Latticare-Anchored-Digest").orElse("");
      Sha3Hash received = ciphertext.digest();
      if (!received.equals(reported) || (!anchored.isEmpty() && !received.equals(Sha3Hash.fromHex(anchored)))) {
        throw new IOException("the record received does not match the digest its anchor names on chain");
      }
      return new Read(reported, response.headers().firstValue("Latticare-Read-Transaction").orElse(""), written);
    }
  }

  private static Answer expect(Answer answer, int status) throws ApiException {
    if (answer.status() != status) {
      throw ApiException.of(answer);
    }
    return answer;
  }

  /** SHA3-256 of the header and everything read through it: the digest a record's anchor names. */
  private static final class DigestingInputStream extends java.io.FilterInputStream {
    private final org.bouncycastle.crypto.digests.SHA3Digest digest = new org.bouncycastle.crypto.digests.SHA3Digest(256);

    DigestingInputStream(InputStream in, byte[] header) {
      super(in);
      digest.update(header, 0, header.length);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    Sha3Hash digest() {
      byte[] out = new byte[32];
      digest.doFinal(out, 0);
      return new Sha3Hash(out);
    }
  }
}
