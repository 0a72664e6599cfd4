package org.latticare.zkp.protocol;

import java.util.List;
import java.util.Objects;

/**
 * What a protocol machine returns for every input: either it advanced (new state, messages to send)
 * or it refused the input with a specific {@link Refusal} and stays where it was. Machines never throw
 * on bad input; an actor only has to send {@link Advanced#send()} and keep {@link #state()}.
 *
 * @param <S> the machine's state type
 * @param <M> the type of messages it emits
 */
public sealed interface Outcome<S, M> {

    /** The state after this input (unchanged when refused). */
    S state();

    record Advanced<S, M>(S state, List<M> send) implements Outcome<S, M> {
        public Advanced {
            Objects.requireNonNull(state);
            send = List.copyOf(send);
        }
    }

    record Refused<S, M>(S state, Refusal reason, String detail) implements Outcome<S, M> {
        public Refused {
            Objects.requireNonNull(state);
            Objects.requireNonNull(reason);
        }
    }

    static <S, M> Outcome<S, M> advance(S state, List<M> send) {
        return new Advanced<>(state, send);
    }

    static <S, M> Outcome<S, M> advance(S state, M message) {
        return new Advanced<>(state, List.of(message));
    }

    static <S, M> Outcome<S, M> advance(S state, M first, M second) {
        return new Advanced<>(state, List.of(first, second));
    }

    static <S, M> Outcome<S, M> refuse(S state, Refusal reason, String detail) {
        return new Refused<>(state, reason, detail);
    }

    default boolean refused() {
        return this instanceof Refused;
    }

    /** The messages to send; empty when refused. */
    default List<M> messages() {
        return this instanceof Advanced<S, M> a ? a.send() : List.of();
    }
}
