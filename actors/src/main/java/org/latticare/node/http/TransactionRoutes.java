package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.entity;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.Base64;
import java.util.List;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import org.latticare.ledger.replica.ChainReplica;
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
  private final Submissions submissions;

  TransactionRoutes(NodeAsks asks) {
    this.asks = asks;
    this.submissions = new Submissions(asks);
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

  private Route submit(Caller caller, SubmitTransaction request) {
    return onSuccess(submissions.submit(caller, request.encoding()), result ->
        result.outcome() == SubmitResult.Outcome.COMMITTED
            ? complete(StatusCodes.CREATED, new TransactionCommitted(result.outcome().name(), result.transactionHash(),
                result.height(), result.blockHash()), ApiJson.marshaller())
            : complete(Submissions.notCommitted(result)));
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
