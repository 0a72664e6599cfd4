package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.concat;
import static akka.http.javadsl.server.Directives.completeOKWithFuture;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.List;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import org.latticare.ledger.Block;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.node.ConsortiumFiles;
import org.latticare.node.http.LedgerViews.BlockView;
import org.latticare.node.http.LedgerViews.ChainHead;

/** {@code GET /api/chain/head} and {@code GET /api/chain/blocks/{height}}: this node's replica of the chain. */
public final class ChainRoutes {

  static final Endpoint HEAD = Endpoint.get("/api/chain/head");
  static final Endpoint BLOCK = Endpoint.get("/api/chain/blocks/{height}");
  public static final List<Endpoint> ENDPOINTS = List.of(HEAD, BLOCK);

  private final NodeAsks asks;

  ChainRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes() {
    return concat(
        HEAD.route(this::head),
        BLOCK.route(PathMatchers.segment(), height -> block(parseHeight(height))));
  }

  private Route head() {
    return completeOKWithFuture(
        asks.<ChainReplica.Command, ChainReplica.Head>ask(asks.node().replica(), ChainReplica.GetHead::new)
            .thenApply(ChainHead::of),
        ApiJson.marshaller());
  }

  private Route block(long height) {
    return onSuccess(asks.<ChainReplica.Command, StatusReply<byte[]>>ask(asks.node().replica(),
            replyTo -> new ChainReplica.GetBlock(height, replyTo)),
        reply -> {
          if (reply.isError()) {
            throw new ApiException(ErrorCode.NOT_FOUND, reply.getError().getMessage());
          }
          return complete(StatusCodes.OK, BlockView.of(Block.decode(reply.getValue()),
              ConsortiumFiles.founding(asks.node().genesis())), ApiJson.marshaller());
        });
  }

  /** A height is a decimal, non-negative block number; anything else is a bad value, not a missing block. */
  private static long parseHeight(String text) {
    try {
      long height = Long.parseLong(text);
      if (height >= 0) {
        return height;
      }
    } catch (NumberFormatException e) {
      // answered below, with the same message as a negative height
    }
    throw new ApiException(ErrorCode.BAD_VALUE, "'height' must be a non-negative integer, not '" + text + "'");
  }
}
