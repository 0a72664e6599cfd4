package org.latticare.ledger.encoding;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads what {@link CanonicalWriter} wrote, checking every length against what is left and against a
 * cap, so that malformed input fails with a {@link MalformedEncodingException} naming the field
 * instead of allocating, misreading or returning a wrong value.
 */
public final class CanonicalReader {

  /** Largest single byte string or text accepted: a record ciphertext inline on chain is far smaller. */
  public static final int MAX_BYTES = 1 << 20;

  private final byte[] input;
  private int position;

  public CanonicalReader(byte[] input) {
    this.input = input;
  }

  public int readInt(String field) {
    require(4, field);
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (input[position++] & 0xff);
    }
    return value;
  }

  public long readLong(String field) {
    require(8, field);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (input[position++] & 0xff);
    }
    return value;
  }

  public boolean readBoolean(String field) {
    require(1, field);
    int value = input[position++];
    if (value != 0 && value != 1) {
      throw new MalformedEncodingException(field + ": a boolean is 0 or 1, not " + value);
    }
    return value == 1;
  }

  public byte[] readBytes(String field) {
    int length = readInt(field + " length");
    if (length < 0 || length > MAX_BYTES) {
      throw new MalformedEncodingException(field + ": length " + length + " is outside 0.." + MAX_BYTES);
    }
    require(length, field);
    byte[] value = new byte[length];
    System.arraycopy(input, position, value, 0, length);
    position += length;
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
    if (position != input.length) {
      throw new MalformedEncodingException(what + ": " + (input.length - position) + " trailing bytes");
    }
  }

  private void require(int length, String field) {
    if (length > input.length - position) {
      throw new MalformedEncodingException(field + ": truncated (needs " + length + " bytes, "
          + (input.length - position) + " left)");
    }
  }
}
