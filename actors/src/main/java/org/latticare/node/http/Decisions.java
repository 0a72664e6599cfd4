package org.latticare.node.http;

import static akka.http.javadsl.server.Directives.onSuccess;

import java.util.function.Supplier;

import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.http.javadsl.server.Route;
import org.latticare.ledger.tx.TxBody;
import org.latticare.node.contract.AccessContract;
import org.latticare.node.http.auth.Caller;

/**
 * Asking a patient's {@link AccessContract} (wherever sharding runs it) whether the caller may do
 * something, before a route does it: the one way every route that touches a patient decides.
 */
final class Decisions {

  // AccessPolicy reads the caller's id, role and organisation; the key was checked by the authenticator.
  private static final byte[] AUTHENTICATED_ELSEWHERE = {0};

  private final NodeAsks asks;

  Decisions(NodeAsks asks) {
    this.asks = asks;
  }

  /** Runs {@code allowed} only if the contract allows it; else 403 with the contract's code. */
  Route decided(Caller caller, String pseudonym, AccessContract.Action action, String recordId, Supplier<Route> allowed) {
    return decided(caller, pseudonym, action, recordId, null, allowed);
  }

  /** As {@link #decided(Caller, String, AccessContract.Action, String, Supplier)}, for a read with its purpose. */
  Route decided(Caller caller, String pseudonym, AccessContract.Action action, String recordId, String purpose,
      Supplier<Route> allowed) {
    TxBody.Identity identity = new TxBody.Identity(caller.identityId(), caller.role().wireName(),
        caller.organisation(), AUTHENTICATED_ELSEWHERE);
    return onSuccess(asks.<ShardingEnvelope<AccessContract.Command>, AccessContract.Decision>ask(asks.node().contracts(),
            replyTo -> new ShardingEnvelope<>(pseudonym, new AccessContract.Decide(identity, action, recordId, purpose,
                System.currentTimeMillis(), replyTo))),
        decision -> {
          if (!decision.allowed()) {
            throw ApiException.forbidden(decision.rejection());
          }
          return allowed.get();
        });
  }
}
