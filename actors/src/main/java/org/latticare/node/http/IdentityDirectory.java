package org.latticare.node.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import org.latticare.cluster.Stages;
import org.latticare.ledger.replica.ChainReplica;
import org.latticare.ledger.tx.Role;
import org.latticare.node.LruCache;
import org.latticare.node.http.auth.Caller;
import org.latticare.node.http.auth.SignedRequests.KeyedCaller;

/**
 * The front's view of who is enrolled: a key id (identity id) resolves to its role, organisation and
 * ML-DSA-65 key as this node's replica holds them. An enrolled identity never changes (the chain has
 * no re-keying or removal), so found identities are kept in a bounded least-recently-used cache and
 * most requests cost no ask; an id that is not (yet) enrolled is asked again next time, so an identity
 * can sign requests as soon as its enrolment commits.
 */
public final class IdentityDirectory implements Function<String, CompletionStage<Optional<KeyedCaller>>> {

  static final int CACHED = 10_000;

  private final ActorSystem<?> system;
  private final ActorRef<ChainReplica.Command> replica;
  private final Duration timeout;
  private final LruCache<String, KeyedCaller> cache = new LruCache<>(CACHED);

  public IdentityDirectory(ActorSystem<?> system, ActorRef<ChainReplica.Command> replica, Duration timeout) {
    this.system = system;
    this.replica = replica;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Optional<KeyedCaller>> apply(String identityId) {
    Optional<KeyedCaller> known = cache.get(identityId);
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known);
    }
    return Stages.direct(AskPattern.<ChainReplica.Command, StatusReply<ChainReplica.IdentityKey>>ask(replica,
            replyTo -> new ChainReplica.GetIdentity(identityId, replyTo), timeout, system.scheduler()))
        .thenApply(reply -> {
          if (!reply.isSuccess()) {
            return Optional.empty();
          }
          ChainReplica.IdentityKey key = reply.getValue();
          KeyedCaller found = new KeyedCaller(new Caller(key.identityId(), Role.of(key.role()), key.organisation()),
              key.publicKey());
          cache.put(identityId, found);
          return Optional.of(found);
        });
  }
}
