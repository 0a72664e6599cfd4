package org.latticare.node.ring;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import akka.actor.Address;
import akka.actor.typed.ActorRef;

/**
 * The ring is every registered verifier ordered by its node's address (host, then port), so every
 * node that sees the same membership computes the same ring without talking to the others.
 */
public final class RingOrder {

  private RingOrder() {}

  /** Orders {@code verifiers}; refs local to this node carry no host, so {@code selfAddress} stands in. */
  public static <T> List<ActorRef<T>> of(Collection<ActorRef<T>> verifiers, Address selfAddress) {
    Comparator<ActorRef<T>> byAddress = Comparator
        .comparing((ActorRef<T> ref) -> addressOf(ref, selfAddress).getHost().orElse(""))
        .thenComparingInt(ref -> addressOf(ref, selfAddress).getPort().orElse(0))
        .thenComparing(ref -> ref.path().toStringWithoutAddress());
    return verifiers.stream().sorted(byAddress).toList();
  }

  public static Address addressOf(ActorRef<?> ref, Address selfAddress) {
    Address address = ref.path().address();
    return address.hasLocalScope() ? selfAddress : address;
  }
}
