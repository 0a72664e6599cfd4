package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.extractStrictEntity;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.StreamConverters;
import akka.util.ByteString;
import org.latticare.lattice.encoding.MalformedEncodingException;
import org.latticare.lattice.kem.RecordEncryption;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.store.RecordStore;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.http.auth.Caller;
import org.latticare.node.records.RecordFrame;
import org.latticare.node.records.RecordKeeper;
import org.latticare.node.records.StoreAck;
import scala.concurrent.duration.FiniteDuration;

/**
 * Records off chain. A hospital's client stores a sealed record before anchoring it: {@code POST
 * /api/records} with its header and key envelopes, its chunks in order with {@code PUT
 * /api/records/{recordId}/chunks/{index}}, then {@code POST /api/records/{recordId}/complete}, which
 * answers once a majority of the consortium's nodes hold the record, with the digest and size the
 * anchor must name. {@code PUT /api/records/{recordId}/envelopes/{granteeId}} stores the envelope a
 * grant gives. {@code POST /api/records/{recordId}/read} carries the reader's signed
 * {@code RecordAccessed}: the record is sent (header, the reader's envelope, the ciphertext, streamed)
 * only if the patient's contract allows the read, and only once that entry is committed.
 *
 * <p>Every step goes to every node's {@link RecordKeeper} and waits for their answers, so a slow node
 * slows the upload rather than queueing it in memory; a node that misses a step drops out of that
 * record, and the record counts as stored only on the nodes whose digest agrees with this node's.
 */
public final class RecordRoutes {

  static final Endpoint BEGIN = Endpoint.post("/api/records");
  static final Endpoint CHUNK = Endpoint.put("/api/records/{recordId}/chunks/{index}");
  static final Endpoint COMPLETE = Endpoint.post("/api/records/{recordId}/complete");
  static final Endpoint ENVELOPE = Endpoint.put("/api/records/{recordId}/envelopes/{granteeId}");
  static final Endpoint OWN_ENVELOPE = Endpoint.get("/api/records/{recordId}/envelopes/{granteeId}");
  static final Endpoint READ = Endpoint.post("/api/records/{recordId}/read");
  public static final List<Endpoint> ENDPOINTS = List.of(BEGIN, CHUNK, COMPLETE, ENVELOPE, OWN_ENVELOPE, READ);

  /** The caller's own envelope of a record and the record's header: what it needs to grant (re-wrap) the record key. */
  public record OwnEnvelope(String recordId, String header, String envelope) {}

  /** A key envelope: who it is for and its encoding ({@code RecordEncryption.Envelope}), base64. */
  public record EnvelopeEntry(String granteeId, String envelope) {}

  /** A record to store: its id, its patient, its encoded header and its first envelopes (the patient's at least). */
  public record NewRecord(String recordId, String pseudonym, String header, List<EnvelopeEntry> envelopes) {}

  /** 201: the upload is open on {@code nodes} nodes; chunks follow. */
  public record RecordBegun(String recordId, int nodes) {}

  /** The upload's end: how many chunks were sent. */
  public record Completion(Integer chunks) {}

  /** 201: stored on {@code nodes} nodes; the anchor names {@code digest} and {@code bytes}. */
  public record RecordStored(String recordId, String digest, long bytes, int chunks, int nodes) {}

  /** An envelope for a grantee, base64 of its encoding. */
  public record NewEnvelope(String envelope) {}

  /** 201: the envelope is stored on {@code nodes} nodes; a grant names {@code envelopeHash}. */
  public record EnvelopeStored(String recordId, String granteeId, String envelopeHash, int nodes) {}

  /** A read: the reader's signed {@code RecordAccessed} of this record, base64. */
  public record ReadRequest(String transaction) {}

  private final NodeAsks asks;
  private final Decisions decisions;
  private final Submissions submissions;

  RecordRoutes(NodeAsks asks) {
    this.asks = asks;
    this.decisions = new Decisions(asks);
    this.submissions = new Submissions(asks);
  }

  public Route routes(Caller caller) {
    return concat(
        BEGIN.route(() -> entity(ApiJson.unmarshaller(NewRecord.class), request -> begin(caller, request))),
        CHUNK.route(PathMatchers.segment(), PathMatchers.segment(), (recordId, index) -> chunk(caller, recordId, index)),
        COMPLETE.route(PathMatchers.segment(), recordId ->
            entity(ApiJson.unmarshaller(Completion.class), request -> finish(caller, recordId, request))),
        ENVELOPE.route(PathMatchers.segment(), PathMatchers.segment(), (recordId, granteeId) ->
            entity(ApiJson.unmarshaller(NewEnvelope.class), request -> envelope(caller, recordId, granteeId, request))),
        OWN_ENVELOPE.route(PathMatchers.segment(), PathMatchers.segment(), (recordId, granteeId) ->
            ownEnvelope(caller, recordId, granteeId)),
        READ.route(PathMatchers.segment(), recordId ->
            entity(ApiJson.unmarshaller(ReadRequest.class), request -> read(caller, recordId, request))));
  }

  // ---- storing -------------------------------------------------------------------------------------

  private Route begin(Caller caller, NewRecord request) {
    String recordId = required("recordId", request.recordId());
    String pseudonym = required("pseudonym", request.pseudonym());
    byte[] header = base64("header", request.header());
    RecordEncryption.Header decoded = decode("header", () -> RecordEncryption.Header.decode(header));
    long largest = decoded.chunkBytes() + (long) RecordEncryption.TAG_BYTES;
    if (largest > asks.node().settings().maxBodyBytes()) {
      throw new ApiException(ErrorCode.BAD_VALUE, "chunks of " + decoded.chunkBytes() + " bytes do not fit this node's"
          + " request limit (" + asks.node().settings().maxBodyBytes() + " bytes with their tag)");
    }
    List<RecordKeeper.StoredEnvelope> envelopes = new ArrayList<>();
    for (EnvelopeEntry entry : request.envelopes() == null ? List.<EnvelopeEntry>of() : request.envelopes()) {
      envelopes.add(storedEnvelope(required("granteeId", entry.granteeId()), entry.envelope()));
    }
    if (envelopes.stream().noneMatch(e -> e.granteeId().equals(pseudonym))) {
      throw new ApiException(ErrorCode.MISSING_ENVELOPE, "a record is stored with its patient's key envelope ('"
          + pseudonym + "'): the patient must always be able to read its own record");
    }
    return decisions.decided(caller, pseudonym, AccessContract.Action.STORE_RECORD, null, () ->
        onSuccess(recordStatus(recordId), status -> {
          if (status.anchored()) {
            throw new ApiException(status.erased() ? ErrorCode.RECORD_ERASED : ErrorCode.RECORD_EXISTS,
                "record '" + recordId + "' is already " + (status.erased() ? "erased" : "anchored") + " on chain");
          }
          return onSuccess(toEveryNode(replyTo -> new RecordKeeper.Begin(recordId, caller.identityId(), header,
              envelopes, replyTo)), acks -> {
                StoreAck.Tally tally = tally(acks);
                if (!tally.here()) {
                  // refused here (an upload of that id is open or stored): another's upload is left alone
                  throw refusedHere(recordId, tally);
                }
                if (!tally.majority()) {
                  everyNode(new RecordKeeper.Abort(recordId));
                  throw notStored(recordId, tally);
                }
                return complete(StatusCodes.CREATED, new RecordBegun(recordId, tally.stored()), ApiJson.marshaller());
              });
        }));
  }

  private Route chunk(Caller caller, String recordId, String indexText) {
    int index = nonNegative("index", indexText);
    return extractStrictEntity(FiniteDuration.create(10, TimeUnit.SECONDS), entity -> {
      if (!entity.getContentType().equals(ContentTypes.APPLICATION_OCTET_STREAM)) {
        throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a chunk is sent as application/octet-stream");
      }
      byte[] bytes = entity.getData().toArray();
      return onSuccess(toEveryNode(replyTo -> new RecordKeeper.Append(recordId, caller.identityId(), index, bytes,
          replyTo)), acks -> {
            StoreAck.Tally tally = tally(acks);
            if (!tally.here()) {
              throw refusedHere(recordId, tally);
            }
            return complete(StatusCodes.NO_CONTENT);
          });
    });
  }

  private Route finish(Caller caller, String recordId, Completion request) {
    if (request.chunks() == null || request.chunks() < 1) {
      throw new ApiException(ErrorCode.BAD_VALUE, "'chunks' is the number of chunks sent, at least 1");
    }
    return onSuccess(toEveryNode(replyTo -> new RecordKeeper.Finish(recordId, caller.identityId(), request.chunks(),
        replyTo)), acks -> {
          StoreAck.Tally tally = tally(acks);
          if (!tally.here()) {
            throw refusedHere(recordId, tally);
          }
          if (!tally.majority()) {
            throw notStored(recordId, tally);
          }
          StoreAck local = tally.local().orElseThrow();
          return complete(StatusCodes.CREATED, new RecordStored(recordId, local.digest(), local.bytes(), local.chunks(),
              tally.stored()), ApiJson.marshaller());
        });
  }

  private Route envelope(Caller caller, String recordId, String granteeId, NewEnvelope request) {
    RecordKeeper.StoredEnvelope envelope = storedEnvelope(granteeId, request.envelope());
    return onSuccess(recordStatus(recordId), status -> {
      requireLive(recordId, status);
      return decisions.decided(caller, status.pseudonym(), AccessContract.Action.MANAGE_RECORD, recordId, () -> {
        // Re-wrapping for a grantee who holds an envelope already is the patient's or that grantee's to do: no
        // one else replaces an envelope (a garbled one would lock its grantee out of the record).
        if (asks.node().records().envelope(recordId, granteeId).isPresent()
            && !caller.identityId().equals(status.pseudonym()) && !caller.identityId().equals(granteeId)) {
          throw new ApiException(ErrorCode.ENVELOPE_EXISTS, "'" + granteeId + "' holds an envelope of record '"
              + recordId + "' already; only the patient or '" + granteeId + "' replaces it");
        }
        return onSuccess(toEveryNode(replyTo -> new RecordKeeper.PutEnvelope(recordId, envelope, replyTo)), acks -> {
          StoreAck.Tally tally = tally(acks);
          if (!tally.majority()) {
            throw tally.here() ? notStored(recordId, tally) : refusedHere(recordId, tally);
          }
          return complete(StatusCodes.CREATED, new EnvelopeStored(recordId, granteeId,
              Sha3Hash.of(envelope.envelope()).hex(), tally.stored()), ApiJson.marshaller());
        });
      });
    });
  }

  /**
   * Only the envelope's own grantee fetches it, for a live record: an envelope opens nothing without
   * the grantee's private key, and the header is public, so no read is logged for it.
   */
  private Route ownEnvelope(Caller caller, String recordId, String granteeId) {
    if (!granteeId.equals(caller.identityId())) {
      throw new ApiException(ErrorCode.FORBIDDEN, "an envelope is given to its grantee only");
    }
    return onSuccess(recordStatus(recordId), status -> {
      requireLive(recordId, status);
      RecordStore store = asks.node().records();
      Optional<byte[]> header = store.header(recordId);
      Optional<byte[]> envelope = store.envelope(recordId, granteeId);
      if (header.isEmpty() || envelope.isEmpty()) {
        throw new ApiException(envelope.isEmpty() && header.isPresent() ? ErrorCode.NO_ENVELOPE : ErrorCode.UNAVAILABLE,
            header.isEmpty() ? "record '" + recordId + "' is not in this node's store" : "'" + granteeId
                + "' holds no envelope of record '" + recordId + "'");
      }
      Base64.Encoder base64 = Base64.getEncoder();
      return complete(StatusCodes.OK, new OwnEnvelope(recordId, base64.encodeToString(header.get()),
          base64.encodeToString(envelope.get())), ApiJson.marshaller());
    });
  }

  // ---- reading -------------------------------------------------------------------------------------

  /**
   * The reader's {@code RecordAccessed} first: refused at once if the contract says no, or if this node
   * cannot send the record (not stored here, no envelope for the reader), so that no entry is logged for
   * a read that cannot happen; then committed; then the record is sent.
   */
  private Route read(Caller caller, String recordId, ReadRequest request) {
    byte[] encoding = base64("transaction", request.transaction());
    Transaction tx = decodeTransaction(encoding);
    if (!(tx.body() instanceof TxBody.RecordAccessed accessed) || !accessed.recordId().equals(recordId)
        || !accessed.reader().equals(caller.identityId())) {
      throw new ApiException(ErrorCode.BAD_VALUE, "a read carries the caller's own RECORD_ACCESSED of record '"
          + recordId + "', signed by the caller");
    }
    return onSuccess(recordStatus(recordId), status -> {
      requireLive(recordId, status);
      return decisions.decided(caller, status.pseudonym(), AccessContract.Action.READ_RECORD, recordId,
          accessed.purpose(), () -> onSuccess(copyFor(recordId, status.digest(), caller.identityId()), copy ->
              onSuccess(submissions.submit(caller, encoding), result -> {
                if (result.outcome() != SubmitResult.Outcome.COMMITTED) {
                  return complete(Submissions.notCommitted(result));
                }
                byte[] prefix = RecordFrame.prefix(copy.header(), copy.envelope());
                long length = prefix.length + copy.bytes() - copy.header().length;
                return complete(HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .addHeader(RawHeader.create("Latticare-Record-Digest", copy.digest()))
                    .addHeader(RawHeader.create("Latticare-Anchored-Digest", status.digest() == null ? "" : status.digest()))
                    .addHeader(RawHeader.create("Latticare-Read-Transaction", result.transactionHash()))
                    .addHeader(RawHeader.create("Latticare-Served-By", copy.nodeId()))
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, length,
                        Source.single(ByteString.fromArray(prefix)).concat(ciphertext(copy)))));
              })));
    });
  }

  /**
   * The copy to send: this node's if it holds the anchored record and the reader's envelope, else a peer's
   * that does (a node that missed the upload, or holds another record under the id, still serves the
   * record). Found before the read is logged, so a read that cannot be served logs nothing.
   */
  private CompletionStage<RecordKeeper.Copy> copyFor(String recordId, String anchoredDigest, String reader) {
    RecordKeeper.Copy local = localCopy(recordId, reader);
    if (serves(local, anchoredDigest)) {
      return CompletableFuture.completedFuture(local);
    }
    return keepers().thenCompose(keepers -> {
      List<CompletableFuture<RecordKeeper.Copy>> answers = new ArrayList<>();
      for (ActorRef<RecordKeeper.Command> keeper : keepers) {
        if (!keeper.equals(asks.node().recordKeeper())) {
          answers.add(asks.<RecordKeeper.Command, RecordKeeper.Copy>ask(keeper,
                  replyTo -> new RecordKeeper.GetCopy(recordId, reader, replyTo)).toCompletableFuture()
              .exceptionally(failure -> null));
        }
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
        List<RecordKeeper.Copy> copies = new ArrayList<>(List.of(local));
        answers.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).forEach(copies::add);
        return copies.stream().filter(copy -> serves(copy, anchoredDigest)).findFirst().orElseThrow(() -> {
          boolean anchoredHeld = copies.stream().anyMatch(copy -> matches(copy, anchoredDigest));
          if (anchoredHeld) {
            return new ApiException(ErrorCode.NO_ENVELOPE, "'" + reader + "' may read record '" + recordId
                + "' but holds no key envelope of it: ask the patient or the hospital for one");
          }
          return local.digest() != null
              ? new ApiException(ErrorCode.RECORD_MISMATCH, "no reachable node holds the record '" + recordId
                  + "' its anchor names (this node's copy differs)")
              : new ApiException(ErrorCode.UNAVAILABLE, "no reachable node holds record '" + recordId + "'");
        });
      });
    });
  }

  private RecordKeeper.Copy localCopy(String recordId, String reader) {
    RecordStore store = asks.node().records();
    Optional<RecordStore.Manifest> manifest = store.manifest(recordId);
    return manifest.isEmpty()
        ? new RecordKeeper.Copy(asks.node().settings().nodeId(), recordId, null, null, null, 0, 0, null)
        : new RecordKeeper.Copy(asks.node().settings().nodeId(), recordId, store.header(recordId).orElse(null),
            store.envelope(recordId, reader).orElse(null), manifest.get().digest().hex(), manifest.get().bytes(),
            manifest.get().chunks(), null);
  }

  private static boolean matches(RecordKeeper.Copy copy, String anchoredDigest) {
    return copy.digest() != null && copy.header() != null && (anchoredDigest == null || anchoredDigest.equals(copy.digest()));
  }

  private static boolean serves(RecordKeeper.Copy copy, String anchoredDigest) {
    return matches(copy, anchoredDigest) && copy.envelope() != null;
  }

  /** The copy's ciphertext: streamed from this node's store, or fetched a chunk at a time from the peer that holds it. */
  private Source<ByteString, ?> ciphertext(RecordKeeper.Copy copy) {
    if (copy.keeper() == null) {
      return StreamConverters.fromInputStream(() -> asks.node().records().ciphertext(copy.recordId()), 64 * 1024);
    }
    return Source.range(0, copy.chunks() - 1).mapAsync(1, index ->
        asks.<RecordKeeper.Command, RecordKeeper.ChunkCopy>ask(copy.keeper(),
            replyTo -> new RecordKeeper.GetChunk(copy.recordId(), index, replyTo)).thenApply(chunk -> {
              if (chunk.chunk() == null) {
                throw new IllegalStateException(copy.nodeId() + " lost chunk " + index + " of " + copy.recordId());
              }
              return ByteString.fromArray(chunk.chunk());
            }));
  }

  // ---- the nodes' keepers ----------------------------------------------------------------------------

  /** Sends one step to every node's keeper and collects every answer; a keeper that does not answer in time is refused. */
  private CompletionStage<List<StoreAck>> toEveryNode(akka.japi.function.Function<ActorRef<StoreAck>, RecordKeeper.Command> step) {
    return keepers().thenCompose(keepers -> {
      List<CompletableFuture<StoreAck>> answers = new ArrayList<>();
      for (ActorRef<RecordKeeper.Command> keeper : keepers) {
        answers.add(asks.<RecordKeeper.Command, StoreAck>ask(keeper, step).toCompletableFuture()
            .exceptionally(failure -> StoreAck.refused(keeper.path().address().toString(), null, "UNREACHABLE",
                "no answer from " + keeper.path().address() + ": " + failure.getMessage())));
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    });
  }

  private void everyNode(RecordKeeper.Command message) {
    keepers().thenAccept(keepers -> keepers.forEach(keeper -> keeper.tell(message)));
  }

  /** This node's keeper and every other one the receptionist knows. */
  private CompletionStage<List<ActorRef<RecordKeeper.Command>>> keepers() {
    return asks.<Receptionist.Command, Receptionist.Listing>ask(asks.system().receptionist(),
            replyTo -> Receptionist.find(RecordKeeper.SERVICE_KEY, replyTo))
        .thenApply(listing -> {
          List<ActorRef<RecordKeeper.Command>> keepers = new ArrayList<>(listing.getServiceInstances(RecordKeeper.SERVICE_KEY));
          if (!keepers.contains(asks.node().recordKeeper())) {
            keepers.add(asks.node().recordKeeper());
          }
          return keepers;
        });
  }

  private StoreAck.Tally tally(List<StoreAck> acks) {
    return StoreAck.tally(asks.node().settings().nodeId(), acks, consortiumNodes());
  }

  private int consortiumNodes() {
    TxBody.ConsortiumFounded founding = (TxBody.ConsortiumFounded) asks.node().genesis().transactions().get(0).body();
    return founding.members().size();
  }

  private CompletionStage<ChainReplica.RecordStatus> recordStatus(String recordId) {
    return asks.ask(asks.node().replica(), replyTo -> new ChainReplica.GetRecord(recordId, replyTo));
  }

  // ---- refusals ----------------------------------------------------------------------------------------

  private static void requireLive(String recordId, ChainReplica.RecordStatus status) {
    if (!status.anchored()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no record '" + recordId + "' is anchored on chain");
    }
    if (status.erased()) {
      throw new ApiException(ErrorCode.RECORD_ERASED, "record '" + recordId + "' was erased");
    }
  }

  /** This node's own store refused the step: its code, as the API names it. */
  private static ApiException refusedHere(String recordId, StoreAck.Tally tally) {
    StoreAck local = tally.local().orElse(StoreAck.refused("", recordId, "UNREACHABLE", "this node's keeper did not answer"));
    ErrorCode code = switch (local.code()) {
      case "RECORD_EXISTS" -> ErrorCode.RECORD_EXISTS;
      case "RECORD_ERASED" -> ErrorCode.RECORD_ERASED;
      case "NO_UPLOAD", "CHUNK_OUT_OF_ORDER", "CHUNK_MISSING", "UPLOAD_CLOSED" -> ErrorCode.UPLOAD_OUT_OF_ORDER;
      case "NOT_THE_UPLOADER" -> ErrorCode.NOT_THE_UPLOADER;
      case "NOT_FOUND" -> ErrorCode.NOT_FOUND;
      case "BAD_ID" -> ErrorCode.BAD_VALUE;
      default -> ErrorCode.UNAVAILABLE;
    };
    return new ApiException(code, local.message());
  }

  private static ApiException notStored(String recordId, StoreAck.Tally tally) {
    if (!tally.here()) {
      return refusedHere(recordId, tally);
    }
    return new ApiException(ErrorCode.NOT_REPLICATED, "record '" + recordId + "' is held by " + tally.stored()
        + " nodes; a majority is " + tally.needed() + (tally.refusals().isEmpty() ? ""
        : " (" + tally.refusals().stream().map(r -> r.nodeId() + ": " + r.message()).toList() + ")"));
  }

  // ---- input ---------------------------------------------------------------------------------------

  private static RecordKeeper.StoredEnvelope storedEnvelope(String granteeId, String base64) {
    byte[] encoded = base64("envelope", base64);
    RecordEncryption.Envelope envelope = decode("envelope", () -> RecordEncryption.Envelope.decode(encoded));
    if (!envelope.granteeId().equals(granteeId)) {
      throw new ApiException(ErrorCode.BAD_VALUE, "the envelope is for '" + envelope.granteeId() + "', not '"
          + granteeId + "'");
    }
    return new RecordKeeper.StoredEnvelope(granteeId, encoded);
  }

  private static String required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new ApiException(ErrorCode.BAD_VALUE, "'" + field + "' is required");
    }
    return value;
  }

  private static int nonNegative(String field, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw new ApiException(ErrorCode.BAD_VALUE, "'" + field + "' must be a non-negative integer, not '" + text + "'");
  }

  private static byte[] base64(String field, String value) {
    try {
      return Base64.getDecoder().decode(required(field, value));
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.BAD_VALUE, "'" + field + "' is not valid base64: " + e.getMessage());
    }
  }

  private static <T> T decode(String field, java.util.function.Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (MalformedEncodingException e) {
      throw new ApiException(ErrorCode.BAD_VALUE, "'" + field + "' is not a valid encoding: " + e.getMessage());
    }
  }

  private static Transaction decodeTransaction(byte[] encoding) {
    try {
      return Transaction.decode(encoding);
    } catch (org.latticare.ledger.encoding.MalformedEncodingException e) {
      throw new ApiException(ErrorCode.BAD_VALUE, "'transaction' is not a canonical transaction: " + e.getMessage());
    }
  }
}
