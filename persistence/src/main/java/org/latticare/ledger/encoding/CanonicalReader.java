package org.latticare.ledger.encoding;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads what {@link CanonicalWriter} wrote, checking every length against what is left and against a
 * cap, so that malformed input fails with a {@link MalformedEncodingException} naming the field
 * instead of allocating, misreading or returning a wrong value. Reads an array, or the remaining bytes of a
 * buffer (Artery's receive buffer, from which a block is copied once, into the array that becomes the block).
 */
public final class CanonicalReader {

  /** Largest single byte string or text accepted: a record ciphertext inline on chain is far smaller. */
  public static final int MAX_BYTES = 1 << 20;

  private final ByteBuffer input;

  public CanonicalReader(byte[] input) {
    this.input = ByteBuffer.wrap(input);
  }

  /** Reads {@code input}'s remaining bytes, big-endian whatever its byte order, and leaves its position as it was. */
  public CanonicalReader(ByteBuffer input) {
    this.input = input.slice().order(ByteOrder.BIG_ENDIAN);
  }

  public int readInt(String field) {
    require(4, field);
    return input.getInt();
  }

  public long readLong(String field) {
    require(8, field);
    return input.getLong();
  }

  public boolean readBoolean(String field) {
    require(1, field);
    int value = input.get();
    if (value != 0 && value != 1) {
      throw new MalformedEncodingException(field + ": a boolean is 0 or 1, not " + value);
    }
    return value == 1;
  }

  public byte[] readBytes(String field) {
    return readBytes(field, MAX_BYTES);
  }

  /** A byte string of at most {@code max} bytes (a whole block, say, where {@link #MAX_BYTES} is too small). */
  public byte[] readBytes(String field, int max) {
    int length = readInt(field + " length");
    if (length < 0 || length > max) {
      throw new MalformedEncodingException(field + ": length " + length + " is outside 0.." + max);
    }
    require(length, field);
    byte[] value = new byte[length];
    input.get(value);
    return value;
  }

  public String readString(String field) {
    byte[] bytes = readBytes(field);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedEncodingException(field + ": not valid UTF-8");
    }
  }

  /** A count of following items, capped so that a forged count cannot make the reader allocate. */
  public int readCount(String field, int max) {
    int count = readInt(field + " count");
    if (count < 0 || count > max) {
      throw new MalformedEncodingException(field + ": count " + count + " is outside 0.." + max);
    }
    return count;
  }

  /** Fails unless every byte was read: trailing data would let two encodings mean one value. */
  public void expectEnd(String what) {
    if (input.hasRemaining()) {
      throw new MalformedEncodingException(what + ": " + input.remaining() + " trailing bytes");
    }
  }

  private void require(int length, String field) {
    if (length > input.remaining()) {
      throw new MalformedEncodingException(field + ": truncated (needs " + length + " bytes, "
          + input.remaining() + " left)");
    }
  }
}
