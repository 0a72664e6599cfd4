package org.latticare.ledger.encoding;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one canonical binary layout of the chain: big-endian fixed-width integers, and byte strings
 * and UTF-8 text prefixed by their length. Hashes and signatures are computed over this, never over
 * JSON or the journal's CBOR, so a change of serializer cannot change a block's hash.
 *
 * <p>Writes into an array of its own that grows as needed, or ({@link #into}) straight into a buffer it is
 * given, such as Artery's send buffer, so that a block leaves the node without an intermediate copy.
 */
public final class CanonicalWriter {

  private ByteBuffer out;
  private final boolean growable;

  public CanonicalWriter() {
    this(64);
  }

  /** A writer sized for about {@code expectedBytes}, so a large encoding (a block) is not copied as it grows. */
  public CanonicalWriter(int expectedBytes) {
    this(ByteBuffer.allocate(Math.max(expectedBytes, 16)), true);
  }

  private CanonicalWriter(ByteBuffer out, boolean growable) {
    this.out = out;
    this.growable = growable;
  }

  /**
   * A writer that appends to {@code target} from its position and advances it; a write past the target's limit
   * throws {@link java.nio.BufferOverflowException}. Bytes are put one by one or in bulk, so the target's byte
   * order does not matter.
   */
  public static CanonicalWriter into(ByteBuffer target) {
    return new CanonicalWriter(target, false);
  }

  public CanonicalWriter writeInt(int value) {
    room(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.put((byte) (value >>> shift));
    }
    return this;
  }

  public CanonicalWriter writeLong(long value) {
    room(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.put((byte) (value >>> shift));
    }
    return this;
  }

  public CanonicalWriter writeBoolean(boolean value) {
    room(1);
    out.put((byte) (value ? 1 : 0));
    return this;
  }

  public CanonicalWriter writeBytes(byte[] bytes) {
    writeInt(bytes.length);
    room(bytes.length);
    out.put(bytes);
    return this;
  }

  public CanonicalWriter writeString(String text) {
    return writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** What was written, copied out; a writer {@link #into} a buffer has left its bytes there instead. */
  public byte[] toByteArray() {
    if (growable) {
      return Arrays.copyOf(out.array(), out.position());
    }
    throw new IllegalStateException("a writer into a buffer leaves its bytes in that buffer");
  }

  private void room(int bytes) {
    if (growable && out.remaining() < bytes) {
      int needed = out.position() + bytes;
      if (needed < 0) {
        throw new IllegalStateException("an encoding cannot exceed 2 GiB");
      }
      ByteBuffer larger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * out.capacity())));
      out.flip();
      larger.put(out);
      out = larger;
    }
  }
}
