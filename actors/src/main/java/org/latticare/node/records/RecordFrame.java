package org.latticare.node.records;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * How a sealed record travels to its reader: {@code u32 length ‖ header ‖ u32 length ‖ the reader's
 * key envelope ‖ the ciphertext}, the ciphertext streamed to its end. The header and the envelope are
 * small (bytes to a few kB); the ciphertext may be any size and is never held whole.
 */
public final class RecordFrame {

  /** Longest header or envelope accepted when reading a frame: both are far smaller. */
  public static final int MAX_PART_BYTES = 64 * 1024;

  private RecordFrame() {}

  /** The frame's beginning, to be followed by the ciphertext. */
  public static byte[] prefix(byte[] header, byte[] envelope) {
    return ByteBuffer.allocate(8 + header.length + envelope.length)
        .putInt(header.length).put(header).putInt(envelope.length).put(envelope).array();
  }

  /** A frame's header and envelope, read from {@code in}, which is left at the ciphertext's start. */
  public record Opened(byte[] header, byte[] envelope, InputStream ciphertext) {}

  public static Opened read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = part(data, "header");
    byte[] envelope = part(data, "envelope");
    return new Opened(header, envelope, in);
  }

  private static byte[] part(DataInputStream data, String what) throws IOException {
    int length = data.readInt();
    if (length < 0 || length > MAX_PART_BYTES) {
      throw new IOException("the record frame's " + what + " claims " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    data.readFully(bytes);
    return bytes;
  }
}
