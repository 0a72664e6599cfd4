package org.latticare.lattice.encoding;

/** Bytes that are not a canonical encoding of the expected object: wrong version, type, length or range. */
public final class MalformedEncodingException extends IllegalArgumentException {

    public MalformedEncodingException(String message) {
        super(message);
    }
}
