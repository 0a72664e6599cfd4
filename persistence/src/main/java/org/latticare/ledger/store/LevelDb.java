package org.latticare.ledger.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;

/** How a node opens a LevelDB of its own (the record store, the chain index): one database per directory. */
public final class LevelDb {

  private LevelDb() {}

  /** Opens (or creates) the database in {@code directory}, refusing to open if any of its files is damaged. */
  public static DB open(Path directory) throws IOException {
    return open(directory, true);
  }

  /**
   * As {@link #open(Path)}; without {@code paranoidChecks}, a log whose tail was torn (writes not synced, then an
   * operating-system crash) opens without that tail, which suits a database derived from another that can be
   * derived again.
   */
  public static DB open(Path directory, boolean paranoidChecks) throws IOException {
    Files.createDirectories(directory);
    return JniDBFactory.factory.open(directory.toFile(),
        new Options().createIfMissing(true).paranoidChecks(paranoidChecks));
  }
}
