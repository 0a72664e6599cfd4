package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import org.latticare.ledger.Transaction;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.chain.Mempool;
import org.latticare.node.chain.SubmitResult;
import org.latticare.node.http.LedgerViews.TransactionView;
import org.latticare.node.http.auth.Caller;

/**
 * {@code POST /api/transactions} submits a signed transaction and answers once it is committed (a
 * majority of replicas persisted its block) or refused; {@code GET /api/transactions/{hash}} returns a
 * committed one with its Merkle proof.
 */
public final class TransactionRoutes {

  static final Endpoint SUBMIT = Endpoint.post("/api/transactions");
  static final Endpoint LOOKUP = Endpoint.get("/api/transactions/{hash}");
  public static final List<Endpoint> ENDPOINTS = List.of(SUBMIT, LOOKUP);

  /**
   * The base64 of a signed transaction's canonical encoding (the bytes its signature covers). Checked
   * by {@link #encoding()} after unmarshalling, not in a constructor: Jackson reports unknown fields
   * only once the record is built, and a misspelt field must be named as unknown, not as missing.
   */
  public record SubmitTransaction(String transaction) {

    byte[] encoding() {
      if (transaction == null) {
        throw new ApiException(ErrorCode.BAD_VALUE,
            "'transaction' is required: the base64 of a signed transaction's canonical encoding");
      }
      try {
        return Base64.getDecoder().decode(transaction);
      } catch (IllegalArgumentException e) {
        throw new ApiException(ErrorCode.BAD_VALUE, "'transaction' is not valid base64: " + e.getMessage());
      }
    }
  }

  /** 201: the transaction is in block {@code height}, persisted by a majority of replicas. */
  public record TransactionCommitted(String outcome, String transactionHash, long height, String blockHash) {}

  private final NodeAsks asks;

  TransactionRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes(Caller caller) {
    return concat(
        SUBMIT.route(() -> entity(ApiJson.unmarshaller(SubmitTransaction.class), request -> submit(caller, request))),
        lookupRoute());
  }

  /** {@code GET /api/transactions/{hash}} alone: it does not depend on who asks. */
  public Route lookupRoute() {
    return LOOKUP.route(PathMatchers.segment(), this::lookup);
  }

  /**
   * The transaction must be the caller's own: a request signed by one identity does not carry another's
   * transaction, so every submission is accountable to the identity that sent it. A malformed one is
   * left to the mempool, which refuses it with its reason.
   */
  private Route submit(Caller caller, SubmitTransaction request) {
    byte[] encoding = request.encoding();
    String submitter = submitterOf(encoding);
    if (submitter != null && !submitter.equals(caller.identityId())) {
      throw new ApiException(ErrorCode.NOT_THE_SUBMITTER, "the transaction is submitted by '" + submitter
          + "' but the request is signed by '" + caller.identityId() + "'");
    }
    CompletionStage<SubmitResult> submitted = asks.<Mempool.Command, SubmitResult>ask(asks.node().mempool(),
            replyTo -> new Mempool.Submit(encoding, replyTo))
        .exceptionally(failure -> SubmitResult.unknown(null, "no answer within " + asks.timeout().toMillis()
            + " ms; the transaction may still commit: look it up by hash before resubmitting"));
    return onSuccess(submitted, result -> result.outcome() == SubmitResult.Outcome.COMMITTED
        ? complete(StatusCodes.CREATED, new TransactionCommitted(result.outcome().name(), result.transactionHash(),
            result.height(), result.blockHash()), ApiJson.marshaller())
        : complete(notCommitted(result)));
  }

  private static String submitterOf(byte[] encoding) {
    try {
      return Transaction.decode(encoding).submitter();
    } catch (MalformedEncodingException e) {
      return null;
    }
  }

  /** The ledger's own code for a refusal (400) or an open outcome (503), with the hash to look it up by. */
  private static HttpResponse notCommitted(SubmitResult result) {
    return ApiErrors.response(
        result.outcome() == SubmitResult.Outcome.REFUSED ? StatusCodes.BAD_REQUEST : StatusCodes.SERVICE_UNAVAILABLE,
        new ApiError(result.code(), result.reason(), result.transactionHash()));
  }

  private Route lookup(String hash) {
    return onSuccess(asks.<ChainReplica.Command, StatusReply<ChainReplica.TransactionProof>>ask(asks.node().replica(),
            replyTo -> new ChainReplica.GetTransaction(hash, replyTo)),
        reply -> {
          if (reply.isError()) {
            throw new ApiException(ErrorCode.NOT_FOUND, reply.getError().getMessage());
          }
          return complete(StatusCodes.OK, TransactionView.of(reply.getValue()), ApiJson.marshaller());
        });
  }
}
