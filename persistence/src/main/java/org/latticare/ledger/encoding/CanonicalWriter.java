package org.latticare.ledger.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one canonical binary layout of the chain: big-endian fixed-width integers, and byte strings
 * and UTF-8 text prefixed by their length. Hashes and signatures are computed over this, never over
 * JSON or the journal's CBOR, so a change of serializer cannot change a block's hash.
 */
public final class CanonicalWriter {

  private final ByteArrayOutputStream out;

  public CanonicalWriter() {
    this(64);
  }

  /** A writer sized for about {@code expectedBytes}, so a large encoding (a block) is not copied as it grows. */
  public CanonicalWriter(int expectedBytes) {
    out = new ByteArrayOutputStream(expectedBytes);
  }

  public CanonicalWriter writeInt(int value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write(value >>> shift);
    }
    return this;
  }

  public CanonicalWriter writeLong(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
    return this;
  }

  public CanonicalWriter writeBoolean(boolean value) {
    out.write(value ? 1 : 0);
    return this;
  }

  public CanonicalWriter writeBytes(byte[] bytes) {
    writeInt(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  public CanonicalWriter writeString(String text) {
    return writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
