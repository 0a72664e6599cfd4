package org.latticare.ledger.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.bouncycastle.crypto.digests.SHA3Digest;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.latticare.ledger.Sha3Hash;

/**
 * A node's private store of records, off chain: each record's ciphertext (its header and its chunks)
 * and the key envelopes of its grantees, in a LevelDB of its own, apart from the chain's journal. The
 * chain holds only a record's digest and size ({@link Manifest}); what is here can be erased, and
 * {@link #erase} makes the bytes leave the store's files (deleted, then the key range compacted, so
 * no table or log file keeps them).
 *
 * <p>The store knows nothing of cryptography: it keeps opaque bytes and computes, as a record is
 * written, the SHA3-256 digest of its header and chunks in order, which is what the anchor on chain
 * names. A record becomes readable only once its upload is finished; an erased record id stays
 * erased (a late copy pushed by a peer cannot bring it back).
 *
 * <p>Keys: a one-byte kind, the record id in UTF-8 and {@code 0x00}, then for chunks the chunk's
 * index (8 bytes, big-endian, so chunks iterate in order) and for envelopes the grantee id.
 */
public final class RecordStore implements AutoCloseable {

  private static final byte MANIFEST = 'm';
  private static final byte HEADER = 'h';
  private static final byte CHUNK = 'c';
  private static final byte ENVELOPE = 'e';
  private static final byte ERASED = 'x';
  private static final int MAX_ID_BYTES = 256;

  /** A finished record: its header's and chunks' total size, chunk count, and the digest the chain anchors. */
  public record Manifest(String recordId, int chunks, long bytes, Sha3Hash digest) {

    byte[] encode() {
      return ByteBuffer.allocate(4 + 8 + 32).putInt(chunks).putLong(bytes).put(digest.bytes()).array();
    }

    static Manifest decode(String recordId, byte[] encoded) {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      int chunks = in.getInt();
      long bytes = in.getLong();
      byte[] digest = new byte[32];
      in.get(digest);
      return new Manifest(recordId, chunks, bytes, new Sha3Hash(digest));
    }
  }

  /** Refused input: the store is unchanged. {@code code} is stable, for the API to return. */
  public static final class StoreException extends RuntimeException {
    public enum Code { BAD_ID, RECORD_EXISTS, RECORD_ERASED, NOT_FOUND, UPLOAD_CLOSED }

    private final Code code;

    public StoreException(Code code, String message) {
      super(message);
      this.code = code;
    }

    public Code code() {
      return code;
    }
  }

  private final DB db;
  private final Path directory;
  private final WriteOptions synced = new WriteOptions().sync(true);

  private RecordStore(DB db, Path directory) {
    this.db = db;
    this.directory = directory;
  }

  /** Opens (or creates) the store in {@code directory}; upload leftovers from a crash are removed. */
  public static RecordStore open(Path directory) throws IOException {
    DB db = LevelDb.open(directory);
    RecordStore store = new RecordStore(db, directory);
    store.removeUnfinished();
    return store;
  }

  public Path directory() {
    return directory;
  }

  /**
   * Starts writing record {@code recordId} with its header; chunks follow in order. Refused if the
   * record exists or was erased.
   */
  public synchronized Upload begin(String recordId, byte[] header) {
    byte[] id = id(recordId);
    if (db.get(key(ERASED, id)) != null) {
      throw new StoreException(StoreException.Code.RECORD_ERASED, "record '" + recordId + "' was erased");
    }
    if (db.get(key(HEADER, id)) != null) {
      throw new StoreException(StoreException.Code.RECORD_EXISTS, "record '" + recordId + "' is already stored");
    }
    db.put(key(HEADER, id), header.clone(), synced);
    return new Upload(recordId, id, header);
  }

  /** One record being written: chunks in order, then {@link #finish}; nothing of it is readable before. */
  public final class Upload implements AutoCloseable {

    private final String recordId;
    private final byte[] id;
    private final SHA3Digest digest = new SHA3Digest(256);
    private int chunks;
    private long bytes;
    private boolean closed;

    private Upload(String recordId, byte[] id, byte[] header) {
      this.recordId = recordId;
      this.id = id;
      digest.update(header, 0, header.length);
      bytes = header.length;
    }

    public void append(byte[] chunk) {
      append(chunk, 0, chunk.length);
    }

    public void append(byte[] chunk, int offset, int length) {
      if (closed) {
        throw new StoreException(StoreException.Code.UPLOAD_CLOSED, "the upload of '" + recordId + "' is closed");
      }
      db.put(chunkKey(id, chunks), Arrays.copyOfRange(chunk, offset, offset + length));
      digest.update(chunk, offset, length);
      chunks++;
      bytes += length;
    }

    /** Makes the record readable, durably, and returns what the chain is to anchor. */
    public Manifest finish() {
      if (closed) {
        throw new StoreException(StoreException.Code.UPLOAD_CLOSED, "the upload of '" + recordId + "' is closed");
      }
      byte[] out = new byte[32];
      digest.doFinal(out, 0);
      Manifest manifest = new Manifest(recordId, chunks, bytes, new Sha3Hash(out));
      synchronized (RecordStore.this) {
        if (db.get(key(ERASED, id)) != null) {
          closed = true;
          deleteRecord(id);
          throw new StoreException(StoreException.Code.RECORD_ERASED, "record '" + recordId + "' was erased");
        }
        db.put(key(MANIFEST, id), manifest.encode(), synced);
      }
      closed = true;
      return manifest;
    }

    /** Drops what was written, unless finished. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        synchronized (RecordStore.this) {
          deleteRecord(id);
        }
      }
    }
  }

  public Optional<Manifest> manifest(String recordId) {
    byte[] encoded = db.get(key(MANIFEST, id(recordId)));
    return encoded == null ? Optional.empty() : Optional.of(Manifest.decode(recordId, encoded));
  }

  /** The ids of every finished record, in key order. */
  public List<String> records() {
    List<String> found = new ArrayList<>();
    try (DBIterator iterator = db.iterator()) {
      for (iterator.seek(new byte[] {MANIFEST}); iterator.hasNext(); ) {
        byte[] key = iterator.next().getKey();
        if (key[0] != MANIFEST) {
          break;
        }
        found.add(new String(key, 1, key.length - 2, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  public boolean erased(String recordId) {
    return db.get(key(ERASED, id(recordId))) != null;
  }

  /** The record's header, if it is stored and finished. */
  public Optional<byte[]> header(String recordId) {
    byte[] id = id(recordId);
    return db.get(key(MANIFEST, id)) == null ? Optional.empty() : Optional.ofNullable(db.get(key(HEADER, id)));
  }

  /**
   * The record's chunks in order, concatenated, read from a snapshot of the store a chunk at a time
   * (never the whole record in memory); {@link StoreException} {@code NOT_FOUND} if it is not finished.
   */
  public InputStream ciphertext(String recordId) {
    byte[] id = id(recordId);
    Snapshot snapshot = db.getSnapshot();
    ReadOptions at = new ReadOptions().snapshot(snapshot);
    byte[] manifest = db.get(key(MANIFEST, id), at);
    if (manifest == null) {
      closeQuietly(snapshot);
      throw new StoreException(StoreException.Code.NOT_FOUND, "no record '" + recordId + "'");
    }
    int chunks = Manifest.decode(recordId, manifest).chunks();
    DBIterator iterator = db.iterator(at);
    iterator.seek(chunkKey(id, 0));
    return new InputStream() {
      private byte[] current = new byte[0];
      private int position;
      private int next;
      private boolean closed;

      private boolean fill() {
        while (position == current.length) {
          if (next == chunks || closed) {
            return false;
          }
          Map.Entry<byte[], byte[]> entry = iterator.next();
          if (!Arrays.equals(entry.getKey(), chunkKey(id, next))) {
            throw new IllegalStateException("record '" + recordId + "' lacks chunk " + next + " of " + chunks);
          }
          current = entry.getValue();
          position = 0;
          next++;
        }
        return true;
      }

      @Override
      public int read() {
        return fill() ? current[position++] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
      }

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          iterator.close();
          snapshot.close();
        }
      }
    };
  }

  /** Chunk {@code index} of a finished record, for a node that lacks the record and reads it from this one. */
  public Optional<byte[]> chunk(String recordId, int index) {
    byte[] id = id(recordId);
    if (db.get(key(MANIFEST, id)) == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(db.get(chunkKey(id, index)));
  }

  /** Stores (or replaces) {@code granteeId}'s envelope of a stored record. */
  public synchronized void putEnvelope(String recordId, String granteeId, byte[] envelope) {
    byte[] id = id(recordId);
    if (db.get(key(ERASED, id)) != null) {
      throw new StoreException(StoreException.Code.RECORD_ERASED, "record '" + recordId + "' was erased");
    }
    if (db.get(key(MANIFEST, id)) == null) {
      throw new StoreException(StoreException.Code.NOT_FOUND, "no record '" + recordId + "'");
    }
    db.put(envelopeKey(id, grantee(granteeId)), envelope.clone(), synced);
  }

  public Optional<byte[]> envelope(String recordId, String granteeId) {
    return Optional.ofNullable(db.get(envelopeKey(id(recordId), grantee(granteeId))));
  }

  /** The grantees holding an envelope of the record. */
  public List<String> grantees(String recordId) {
    byte[] prefix = envelopeKey(id(recordId), new byte[0]);
    List<String> found = new ArrayList<>();
    try (DBIterator iterator = db.iterator()) {
      for (iterator.seek(prefix); iterator.hasNext(); ) {
        byte[] key = iterator.next().getKey();
        if (!startsWith(key, prefix)) {
          break;
        }
        found.add(new String(key, prefix.length, key.length - prefix.length, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  /**
   * Deletes one grantee's envelope (a revocation) and compacts it out of the files: without it the
   * record key is lost to that grantee.
   */
  public synchronized void deleteEnvelope(String recordId, String granteeId) {
    byte[] key = envelopeKey(id(recordId), grantee(granteeId));
    if (db.get(key) != null) {
      purge(List.of(key(ENVELOPE, id(recordId))), () -> db.delete(key, synced));
    }
  }

  /**
   * Erases a record: its header, every chunk and every envelope are deleted, the record id is marked
   * erased, and the key ranges are compacted, so that the bytes are in no file of the store once this
   * returns. Erasing twice (or a record never stored) only marks it erased.
   */
  public synchronized void erase(String recordId) {
    byte[] id = id(recordId);
    db.put(key(ERASED, id), new byte[0], synced);
    List<byte[]> ranges = List.of(key(MANIFEST, id), key(HEADER, id), key(CHUNK, id), key(ENVELOPE, id));
    purge(ranges, () -> deleteRecord(id));
  }

  /**
   * Deletes and makes sure the deleted bytes leave the files. LevelDB's {@code CompactRange} flushes the
   * memtable and then compacts each level into the next, down to the deepest level that held the range
   * before the flush; a memtable holding both a value and its deletion can land whole in one table
   * below that (measured: 3 nodes out of 3 kept an erased record's chunks in their table files), where
   * no compaction of the range ever rewrites it. So the values are flushed to tables first, the
   * deletions written after, and the second compaction merges the deletions down into them.
   */
  private void purge(List<byte[]> prefixes, Runnable delete) {
    for (byte[] prefix : prefixes) {
      db.compactRange(prefix, prefixEnd(prefix));
    }
    delete.run();
    for (byte[] prefix : prefixes) {
      db.compactRange(prefix, prefixEnd(prefix));
    }
  }

  private void deleteRecord(byte[] id) {
    try (WriteBatch batch = db.createWriteBatch()) {
      batch.delete(key(MANIFEST, id));
      batch.delete(key(HEADER, id));
      for (byte kind : new byte[] {CHUNK, ENVELOPE}) {
        byte[] prefix = key(kind, id);
        try (DBIterator iterator = db.iterator()) {
          for (iterator.seek(prefix); iterator.hasNext(); ) {
            byte[] key = iterator.next().getKey();
            if (!startsWith(key, prefix)) {
              break;
            }
            batch.delete(key);
          }
        }
      }
      db.write(batch, synced);
    } catch (IOException e) {
      throw new IllegalStateException("the record store could not delete a record", e);
    }
  }

  /** Headers without a manifest are uploads a crash interrupted: nobody was told they were stored. */
  private void removeUnfinished() {
    Map<String, byte[]> unfinished = new TreeMap<>();
    try (DBIterator iterator = db.iterator()) {
      for (iterator.seek(new byte[] {HEADER}); iterator.hasNext(); ) {
        byte[] key = iterator.next().getKey();
        if (key[0] != HEADER) {
          break;
        }
        byte[] id = Arrays.copyOfRange(key, 1, key.length - 1);
        if (db.get(key(MANIFEST, id)) == null) {
          unfinished.put(new String(id, StandardCharsets.UTF_8), id);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    unfinished.values().forEach(this::deleteRecord);
  }

  @Override
  public void close() throws IOException {
    db.close();
  }

  // ---- keys --------------------------------------------------------------------------------------

  private static byte[] id(String recordId) {
    byte[] id = recordId == null ? new byte[0] : recordId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > MAX_ID_BYTES || recordId.indexOf('\0') >= 0) {
      throw new StoreException(StoreException.Code.BAD_ID, "a record id is 1 to " + MAX_ID_BYTES
          + " bytes of UTF-8 without NUL");
    }
    return id;
  }

  private static byte[] grantee(String granteeId) {
    byte[] g = granteeId == null ? new byte[0] : granteeId.getBytes(StandardCharsets.UTF_8);
    if (g.length == 0 || g.length > MAX_ID_BYTES) {
      throw new StoreException(StoreException.Code.BAD_ID, "a grantee id is 1 to " + MAX_ID_BYTES + " bytes of UTF-8");
    }
    return g;
  }

  /** Kind, id, and a 0x00 terminator, so that no id's keys are a prefix of another id's. */
  private static byte[] key(byte kind, byte[] id) {
    return ByteBuffer.allocate(2 + id.length).put(kind).put(id).put((byte) 0).array();
  }

  private static byte[] chunkKey(byte[] id, int index) {
    return ByteBuffer.allocate(2 + id.length + 8).put(key(CHUNK, id)).putLong(index).array();
  }

  private static byte[] envelopeKey(byte[] id, byte[] grantee) {
    return ByteBuffer.allocate(2 + id.length + grantee.length).put(key(ENVELOPE, id)).put(grantee).array();
  }

  /** The smallest key after every key that starts with {@code prefix} (whose last byte is the 0x00 terminator). */
  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    end[end.length - 1] = 1;
    return end;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static void closeQuietly(Snapshot snapshot) {
    try {
      snapshot.close();
    } catch (IOException ignored) {
      // a snapshot's release cannot fail in leveldbjni
    }
  }
}
