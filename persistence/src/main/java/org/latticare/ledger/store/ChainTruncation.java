package org.latticare.ledger.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.latticare.ledger.index.LevelDbChainIndex;

/**
 * Drops the top of a replica's journal: the blocks a {@link org.latticare.ledger.replica.ForkCheck} found the
 * consortium never committed. Akka Persistence appends and never takes back, so this runs in two steps around a
 * restart of the node:
 * <ol>
 *   <li>the running node writes a {@linkplain #request request} (which blocks to drop, why) and a copy of every block
 *       it drops under {@code <data-dir>/dropped-blocks/}, then stops;</li>
 *   <li>the next start {@linkplain #applyPending applies} it before the journal is opened: the journal's entries above
 *       the kept height and its counter, the snapshots taken above it, and the chain index's entries above it — then
 *       files the request beside the dropped blocks.</li>
 * </ol>
 * Each step can be repeated after a crash: the request is written whole (moved into place) and removed last, and
 * truncating a journal already truncated changes nothing.
 *
 * <p>The journal is Akka's LevelDB journal (akka-persistence 2.6): keys of 20 bytes (the persistence id's number,
 * the sequence number, a mapping id: 0 for an event, 1 for a deletion mark), the highest sequence number under
 * (number, 0, 0), and each persistence id's number under (1, 0, number). Tests pin this layout by writing with Akka,
 * truncating here and recovering with Akka.
 */
public final class ChainTruncation {

  /** The request's file in the data directory. */
  public static final String REQUEST_FILE = "chain-truncation.request";
  /** Where the dropped blocks and the applied requests are kept, in the data directory. */
  public static final String DROPPED_DIR = "dropped-blocks";

  private static final int MAPPING_ID = 1;
  private static final int DELETION_MARK = 1;

  private ChainTruncation() {}

  /**
   * Keep the journal of {@code persistenceId} up to block {@code keepHeight} (hash {@code keepHash}), dropping the
   * blocks above it up to {@code headHeight}; {@code reason} is for the operator.
   */
  public record Request(String persistenceId, long keepHeight, String keepHash, long headHeight, String reason) {
    public Request {
      if (persistenceId == null || persistenceId.isBlank() || keepHeight < 0 || headHeight <= keepHeight) {
        throw new IllegalArgumentException("a truncation keeps a height >= 0 below the head (keep " + keepHeight
            + ", head " + headHeight + ")");
      }
    }
  }

  /** What a start did: the journal's highest block before, the height kept, the snapshots removed. */
  public record Applied(Request request, long journalHead, int snapshotsRemoved) {}

  /**
   * Writes the dropped blocks ({@code dropped}, encoded, from {@code keepHeight + 1} up) and then the request, for
   * the next start of the node on {@code dataDir}.
   */
  public static void request(Path dataDir, Request request, List<byte[]> dropped) throws IOException {
    Path keep = Files.createDirectories(dataDir.resolve(DROPPED_DIR));
    for (int i = 0; i < dropped.size(); i++) {
      Files.write(keep.resolve("block-" + (request.keepHeight() + 1 + i) + ".bin"), dropped.get(i));
    }
    Properties properties = new Properties();
    properties.setProperty("persistence-id", request.persistenceId());
    properties.setProperty("keep-height", Long.toString(request.keepHeight()));
    properties.setProperty("keep-hash", request.keepHash());
    properties.setProperty("head-height", Long.toString(request.headHeight()));
    properties.setProperty("reason", request.reason());
    Path temporary = dataDir.resolve(REQUEST_FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      properties.store(out, "blocks this replica holds that the consortium never committed; applied at the next start");
    }
    Files.move(temporary, dataDir.resolve(REQUEST_FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The request waiting in {@code dataDir}, if any. */
  public static Optional<Request> pending(Path dataDir) throws IOException {
    Path file = dataDir.resolve(REQUEST_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    try {
      return Optional.of(new Request(properties.getProperty("persistence-id"),
          Long.parseLong(properties.getProperty("keep-height")), properties.getProperty("keep-hash"),
          Long.parseLong(properties.getProperty("head-height")), properties.getProperty("reason", "")));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException(file + " is not a truncation request: " + e.getMessage(), e);
    }
  }

  /**
   * Applies the pending request for {@code persistenceId}, if there is one: run before anything opens the journal.
   * A request for another persistence id, or one that keeps more than the journal holds, is refused and left in place
   * for the operator ({@link IllegalStateException}); nothing is changed then.
   */
  public static Optional<Applied> applyPending(Path dataDir, String persistenceId, Path journalDir, Path snapshotDir,
      Path chainIndexDir) throws IOException {
    Optional<Request> pending = pending(dataDir);
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    Request request = pending.get();
    if (!request.persistenceId().equals(persistenceId)) {
      throw new IllegalStateException("CHAIN_TRUNCATION_FOREIGN: " + dataDir.resolve(REQUEST_FILE) + " is for "
          + request.persistenceId() + ", this node's replica is " + persistenceId);
    }
    long journalHead = truncateJournal(journalDir, persistenceId, request.keepHeight() + 1);
    int removed = removeSnapshotsAbove(snapshotDir, persistenceId, request.keepHeight() + 1);
    // the index holds the nonces and locations of the dropped blocks: they must not count on the new chain
    try (LevelDbChainIndex index = LevelDbChainIndex.open(chainIndexDir)) {
      index.truncate(request.keepHeight());
    }
    Path filed = Files.createDirectories(dataDir.resolve(DROPPED_DIR))
        .resolve("truncation-to-" + request.keepHeight() + "-" + System.currentTimeMillis() + ".request");
    Files.move(dataDir.resolve(REQUEST_FILE), filed, StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(new Applied(request, journalHead - 1, removed));
  }

  /** Keeps events up to {@code keepSequenceNr}; returns the highest sequence number the journal had. */
  static long truncateJournal(Path journalDir, String persistenceId, long keepSequenceNr) throws IOException {
    try (DB journal = LevelDb.open(journalDir)) {
      int id = numericId(journal, persistenceId).orElseThrow(() -> new IllegalStateException(
          "CHAIN_TRUNCATION_STALE: the journal in " + journalDir + " holds nothing for " + persistenceId));
      byte[] counterKey = key(id, 0, 0);
      byte[] counter = journal.get(counterKey);
      long highest = counter == null ? 0 : ByteBuffer.wrap(counter).getLong();
      if (highest < keepSequenceNr) {
        throw new IllegalStateException("CHAIN_TRUNCATION_STALE: the request keeps " + keepSequenceNr
            + " entries of " + persistenceId + " but the journal holds " + highest);
      }
      try (WriteBatch batch = journal.createWriteBatch()) {
        for (long sequenceNr = keepSequenceNr + 1; sequenceNr <= highest; sequenceNr++) {
          batch.delete(key(id, sequenceNr, 0));
          batch.delete(key(id, sequenceNr, DELETION_MARK));
        }
        batch.put(counterKey, ByteBuffer.allocate(8).putLong(keepSequenceNr).array());
        journal.write(batch, new WriteOptions().sync(true));
      }
      return highest;
    }
  }

  /** The number Akka's LevelDB journal gave {@code persistenceId}, read from its mapping entries. */
  private static Optional<Integer> numericId(DB journal, String persistenceId) throws IOException {
    byte[] wanted = persistenceId.getBytes(StandardCharsets.UTF_8);
    try (DBIterator entries = journal.iterator()) {
      for (entries.seek(key(MAPPING_ID, 0, 0)); entries.hasNext(); ) {
        var entry = entries.next();
        ByteBuffer key = ByteBuffer.wrap(entry.getKey());
        if (entry.getKey().length != 20 || key.getInt() != MAPPING_ID || key.getLong() != 0) {
          break;
        }
        int id = key.getInt();
        if (Arrays.equals(entry.getValue(), wanted)) {
          return Optional.of(id);
        }
      }
    }
    return Optional.empty();
  }

  private static byte[] key(int persistenceNumber, long sequenceNr, int mappingId) {
    return ByteBuffer.allocate(20).putInt(persistenceNumber).putLong(sequenceNr).putInt(mappingId).array();
  }

  /** Akka's local snapshot store names a file {@code snapshot-<url-encoded id>-<sequence nr>-<timestamp>}. */
  static int removeSnapshotsAbove(Path snapshotDir, String persistenceId, long keepSequenceNr) throws IOException {
    if (!Files.isDirectory(snapshotDir)) {
      return 0;
    }
    String prefix = "snapshot-" + URLEncoder.encode(persistenceId, StandardCharsets.UTF_8) + "-";
    List<Path> above = new ArrayList<>();
    try (Stream<Path> files = Files.list(snapshotDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (!name.startsWith(prefix)) {
          continue;
        }
        String[] rest = name.substring(prefix.length()).split("-");
        try {
          if (rest.length >= 1 && Long.parseLong(rest[0]) > keepSequenceNr) {
            above.add(file);
          }
        } catch (NumberFormatException e) {
          // not a snapshot of this id (an id that merely starts like it): left alone
        }
      }
    }
    for (Path file : above) {
      Files.delete(file);
    }
    return above.size();
  }
}
