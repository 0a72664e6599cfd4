package org.latticare.zkp.wire;

import java.nio.ByteBuffer;
import java.util.function.Function;

import org.latticare.zkp.protocol.Refusal;

/** The result of decoding bytes: the value, or why the bytes are not a canonical encoding of one. */
public sealed interface Decoded<T> {

    record Success<T>(T value) implements Decoded<T> {
    }

    record Failure<T>(Refusal reason, String detail) implements Decoded<T> {
    }

    /** Runs a parser over the whole input; no exception escapes (any runtime exception becomes MALFORMED). */
    static <T> Decoded<T> parse(byte[] bytes, Function<ByteBuffer, T> parser) {
        if (bytes == null) {
            return new Failure<>(Refusal.MALFORMED, "no bytes");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            T value = parser.apply(in);
            Frame.close(in);
            return new Success<>(value);
        } catch (DecodingException e) {
            return new Failure<>(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            return new Failure<>(Refusal.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    default boolean ok() {
        return this instanceof Success;
    }

    /** The value; throws IllegalStateException on a failure (for callers that already checked). */
    default T orElseThrow() {
        if (this instanceof Success<T> s) {
            return s.value();
        }
        Failure<T> f = (Failure<T>) this;
        throw new IllegalStateException(f.reason() + ": " + f.detail());
    }
}
