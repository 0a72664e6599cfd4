package org.latticare.ledger.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.latticare.ledger.Sha3Hash;
import org.latticare.ledger.store.LevelDb;

/**
 * The chain index in a LevelDB of its own, beside the journal: nothing of it stays in the heap but LevelDB's
 * native caches. One batch per block, not synced: the journal, synced, is the truth, and an index that lost
 * its last batches to an operating-system crash says so by its {@link #height} (the replica then recovers
 * from a snapshot no newer than it and writes the lost blocks again).
 *
 * <p>Keys: {@code 'n'}, the submitter's length (4 bytes) and UTF-8, the nonce (8 bytes) → height (8) and
 * transaction hash (32); {@code 't'} and the transaction hash → height (8) and position (4); {@code 'h'} →
 * the highest block written (8).
 */
public final class LevelDbChainIndex implements ChainIndex {

  private static final byte NONCE = 'n';
  private static final byte TRANSACTION = 't';
  private static final byte[] HEIGHT = {'h'};
  private static final int CLEAR_BATCH = 10_000;

  private final DB db;
  private long height;

  private LevelDbChainIndex(DB db) {
    this.db = db;
    byte[] stored = db.get(HEIGHT);
    this.height = stored == null ? EMPTY : ByteBuffer.wrap(stored).getLong();
  }

  /** Opens (or creates) the index in {@code directory}, which holds nothing else. */
  public static LevelDbChainIndex open(Path directory) throws IOException {
    return new LevelDbChainIndex(LevelDb.open(directory, false));
  }

  @Override
  public long height() {
    return height;
  }

  @Override
  public Optional<NonceUse> nonce(String submitter, long nonce) {
    byte[] value = db.get(nonceKey(submitter, nonce));
    if (value == null) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    long usedAt = in.getLong();
    byte[] hash = new byte[32];
    in.get(hash);
    return Optional.of(new NonceUse(usedAt, new Sha3Hash(hash)));
  }

  @Override
  public Optional<TxLocation> location(Sha3Hash transaction) {
    byte[] value = db.get(transactionKey(transaction));
    if (value == null) {
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    return Optional.of(new TxLocation(in.getLong(), in.getInt()));
  }

  @Override
  public void add(BlockEntries block) {
    long newHeight = Math.max(height, block.height());
    try (WriteBatch batch = db.createWriteBatch()) {
      for (UsedNonce used : block.nonces()) {
        batch.put(nonceKey(used.submitter(), used.nonce()),
            ByteBuffer.allocate(8 + 32).putLong(block.height()).put(used.transaction().bytes()).array());
      }
      List<Sha3Hash> transactions = block.transactions();
      for (int i = 0; i < transactions.size(); i++) {
        batch.put(transactionKey(transactions.get(i)), ByteBuffer.allocate(8 + 4).putLong(block.height()).putInt(i).array());
      }
      batch.put(HEIGHT, ByteBuffer.allocate(8).putLong(newHeight).array());
      db.write(batch);
    } catch (IOException e) {
      throw new IllegalStateException("the chain index could not write block " + block.height(), e);
    }
    height = newHeight;
  }

  /**
   * The height goes first, synced: an index whose clearing a crash interrupted reads as empty, and is built
   * again, rather than as a height whose entries are partly gone. The entries follow in batches of bounded size.
   */
  @Override
  public void clear() {
    db.delete(HEIGHT, new WriteOptions().sync(true));
    height = EMPTY;
    try (DBIterator iterator = db.iterator()) {
      iterator.seekToFirst();
      while (iterator.hasNext()) {
        try (WriteBatch batch = db.createWriteBatch()) {
          for (int n = 0; n < CLEAR_BATCH && iterator.hasNext(); n++) {
            batch.delete(iterator.next().getKey());
          }
          db.write(batch);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the chain index could not be cleared", e);
    }
  }

  /** Entries go first (every value starts with its height), the height last: a crash between leaves it to redo. */
  @Override
  public void truncate(long newHeight) {
    if (height <= newHeight) {
      return;
    }
    try (DBIterator iterator = db.iterator()) {
      iterator.seekToFirst();
      while (iterator.hasNext()) {
        try (WriteBatch batch = db.createWriteBatch()) {
          for (int n = 0; n < CLEAR_BATCH && iterator.hasNext(); n++) {
            var entry = iterator.next();
            if (entry.getKey()[0] != HEIGHT[0] && ByteBuffer.wrap(entry.getValue()).getLong() > newHeight) {
              batch.delete(entry.getKey());
            }
          }
          db.write(batch);
        }
      }
      db.put(HEIGHT, ByteBuffer.allocate(8).putLong(newHeight).array(), new WriteOptions().sync(true));
    } catch (IOException e) {
      throw new IllegalStateException("the chain index could not be truncated to height " + newHeight, e);
    }
    height = newHeight;
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (IOException e) {
      throw new IllegalStateException("the chain index did not close cleanly", e);
    }
  }

  private static byte[] nonceKey(String submitter, long nonce) {
    byte[] id = submitter.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 4 + id.length + 8).put(NONCE).putInt(id.length).put(id).putLong(nonce).array();
  }

  private static byte[] transactionKey(Sha3Hash transaction) {
    return ByteBuffer.allocate(1 + 32).put(TRANSACTION).put(transaction.bytes()).array();
  }
}
