package org.latticare.ledger.encoding;

/** Bytes that are not a canonical encoding: truncated, oversized, out of range or with trailing data. */
public final class MalformedEncodingException extends IllegalArgumentException {

  public MalformedEncodingException(String message) {
    super(message);
  }
}
