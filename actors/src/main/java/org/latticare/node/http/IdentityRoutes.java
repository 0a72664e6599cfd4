package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.Base64;
import java.util.List;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.StatusReply;
import org.latticare.ledger.replica.ChainReplica;

/**
 * {@code GET /api/identities/{identityId}}: an enrolled identity's role, organisation and public keys,
 * as the chain holds them, for any enrolled caller: a client wraps a record key to a grantee's ML-KEM-768
 * key and checks signatures with its ML-DSA-65 key.
 */
public final class IdentityRoutes {

  static final Endpoint IDENTITY = Endpoint.get("/api/identities/{identityId}");
  public static final List<Endpoint> ENDPOINTS = List.of(IDENTITY);

  /** Keys in base64; {@code kemKey} is null for an identity enrolled without one. */
  public record IdentityView(String identityId, String role, String organisation, String signingKey, String kemKey) {}

  private final NodeAsks asks;

  IdentityRoutes(NodeAsks asks) {
    this.asks = asks;
  }

  public Route routes() {
    return IDENTITY.route(PathMatchers.segment(), this::identity);
  }

  private Route identity(String identityId) {
    return onSuccess(asks.<ChainReplica.Command, StatusReply<ChainReplica.IdentityKey>>ask(asks.node().replica(),
            replyTo -> new ChainReplica.GetIdentity(identityId, replyTo)),
        reply -> {
          if (reply.isError()) {
            throw new ApiException(ErrorCode.NOT_FOUND, reply.getError().getMessage());
          }
          ChainReplica.IdentityKey key = reply.getValue();
          Base64.Encoder base64 = Base64.getEncoder();
          return complete(StatusCodes.OK, new IdentityView(key.identityId(), key.role(), key.organisation(),
              base64.encodeToString(key.publicKey()), key.kemKey() == null ? null : base64.encodeToString(key.kemKey())),
              ApiJson.marshaller());
        });
  }
}
