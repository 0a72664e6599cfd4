package org.latticare.node.http;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.store.RecordStore;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.http.auth.Caller;

/**
 * Submitting a signed transaction for the caller, the one way every route does it: the transaction
 * must be the caller's own (a request signed by one identity does not carry another's), an anchor
 * must name a record this node's store holds with that digest and size (the ciphertext is stored,
 * and replicated, before the chain points at it), and the answer comes once the transaction is
 * committed, refused, or its outcome unknown.
 */
final class Submissions {

  private final NodeAsks asks;

  Submissions(NodeAsks asks) {
    this.asks = asks;
  }

  /** The outcome; {@link ApiException} for a transaction that is not the caller's or an anchor of nothing stored. */
  CompletionStage<SubmitResult> submit(Caller caller, byte[] encoding) {
    Optional<Transaction> decoded = decode(encoding);
    if (decoded.isPresent()) {
      Transaction tx = decoded.get();
      if (!tx.submitter().equals(caller.identityId())) {
        throw new ApiException(ErrorCode.NOT_THE_SUBMITTER, "the transaction is submitted by '" + tx.submitter()
            + "' but the request is signed by '" + caller.identityId() + "'");
      }
      if (tx.body() instanceof TxBody.RecordAnchored anchor && anchor.inlineCiphertext().length == 0) {
        requireStored(anchor);
      }
    }
    // a malformed transaction is left to the mempool, which refuses it with its reason
    return asks.<Mempool.Command, SubmitResult>ask(asks.node().mempool(), replyTo -> new Mempool.Submit(encoding, replyTo))
        .exceptionally(failure -> SubmitResult.unknown(null, "no answer within " + asks.timeout().toMillis()
            + " ms; the transaction may still commit: look it up by hash before resubmitting"));
  }

  /** The ledger's own code for a refusal (400) or an open outcome (503), with the hash to look it up by. */
  static HttpResponse notCommitted(SubmitResult result) {
    return ApiErrors.response(
        result.outcome() == SubmitResult.Outcome.REFUSED ? StatusCodes.BAD_REQUEST : StatusCodes.SERVICE_UNAVAILABLE,
        new ApiError(result.code(), result.reason(), result.transactionHash()));
  }

  private void requireStored(TxBody.RecordAnchored anchor) {
    RecordStore store = asks.node().records();
    Optional<RecordStore.Manifest> manifest = store.manifest(anchor.recordId());
    if (manifest.isEmpty()) {
      throw new ApiException(ErrorCode.RECORD_NOT_STORED, "record '" + anchor.recordId() + "' is not in this node's"
          + " store: upload it (POST /api/records …) before anchoring it");
    }
    if (!manifest.get().digest().equals(anchor.ciphertextHash()) || manifest.get().bytes() != anchor.sizeBytes()) {
      throw new ApiException(ErrorCode.RECORD_NOT_STORED, "record '" + anchor.recordId() + "' is stored with digest "
          + manifest.get().digest().hex() + " and " + manifest.get().bytes() + " bytes, not " + anchor.ciphertextHash().hex()
          + " and " + anchor.sizeBytes());
    }
  }

  private static Optional<Transaction> decode(byte[] encoding) {
    try {
      return Optional.of(Transaction.decode(encoding));
    } catch (MalformedEncodingException e) {
      return Optional.empty();
    }
  }
}
