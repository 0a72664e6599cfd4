package org.latticare.zkp.wire;

import org.latticare.zkp.protocol.Refusal;

/** Internal to decoders: thrown while parsing, always caught and returned as a {@link Decoded.Failure}. */
public final class DecodingException extends RuntimeException {

    private final Refusal reason;

    public DecodingException(Refusal reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Refusal reason() {
        return reason;
    }
}
