package org.latticare.ledger.replica;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.latticare.ledger.rules.LedgerState;

/**
 * Whether this replica holds blocks the consortium never committed, from the hashes of the last blocks it holds and
 * the hashes the peers hold at the same heights. Pure: the replica's catch-up gathers the hashes and acts on the
 * verdict.
 *
 * <p>How a replica comes to hold such a block: the producer persists a block in its own replica first and then
 * sends it to the others; if its node dies before a majority has it, the block was never acknowledged, the next
 * producer builds a different block at that height, and the dead node comes back with a block nobody else has. Its
 * replica can neither take the next block (it does not link) nor serve as a peer.
 *
 * <p>The rule: at the lowest height {@code d} where a majority of the consortium (this replica not counted, since
 * it holds another block there) holds one and the same block that is not this replica's, this replica's block at
 * {@code d}, and every block it holds above it (they link to it), were never committed: a committed block is held
 * by a majority, two majorities share a replica, and a replica never holds two blocks at one height. Those blocks
 * are dropped and the replica follows the committed chain from {@code d - 1}. Anything short of such a majority
 * decides nothing ({@link Unconfirmed}): a replica never drops a block on the word of a minority. A divergence
 * at the lowest height of the window cannot be placed ({@link TooDeep}): the producer keeps at most a few blocks in
 * flight, so this means something other than a producer's death, and an operator decides.
 */
public final class ForkCheck {

  /**
   * How many of its last blocks a replica compares with its peers': far more than the producer keeps in flight
   * (the blocks a dead producer's replica can hold alone), and all within the blocks a replica keeps in memory.
   */
  public static final int WINDOW = LedgerState.RECENT_BLOCKS;

  private ForkCheck() {}

  /** The hashes of consecutive blocks from {@code fromHeight} (hex, as {@link ChainReplica.Hashes} carries them). */
  public record Window(long fromHeight, List<String> hashes) {
    public Window {
      hashes = List.copyOf(hashes);
    }

    /** The hash at {@code height}, or null outside the window. */
    String at(long height) {
      long i = height - fromHeight;
      return i < 0 || i >= hashes.size() ? null : hashes.get((int) i);
    }

    long top() {
      return fromHeight + hashes.size() - 1;
    }
  }

  public sealed interface Verdict {}

  /**
   * No majority holds another block at any height this replica holds within the window: every peer agrees, or those
   * that do not are a minority against a majority holding this replica's blocks.
   */
  public record Agree() implements Verdict {}

  /**
   * Drop blocks {@code keepHeight + 1} to the head, which are {@code dropped} (hashes from {@code keepHeight + 1} up),
   * and follow the chain a majority holds: {@code committedHash} is the block it holds at {@code keepHeight + 1}.
   */
  public record Truncate(long keepHeight, String keepHash, List<String> dropped, String committedHash, int holders)
      implements Verdict {}

  /** Peers disagree with this replica, but no majority holds one block in place of its own. */
  public record Unconfirmed(String reason) implements Verdict {}

  /** The divergence starts at or below the lowest height compared: it cannot be placed from this window. */
  public record TooDeep(String reason) implements Verdict {}

  /** The smallest number of replicas that is a majority of {@code consortiumSize}. */
  public static int majority(int consortiumSize) {
    return consortiumSize / 2 + 1;
  }

  /**
   * Judges this replica's window {@code own} against the peers' ({@code peers}, by node; a peer's window may end
   * below or above this replica's head). {@code consortiumSize}: the consortium's members, however many answered.
   */
  public static Verdict check(Window own, Map<String, Window> peers, int consortiumSize) {
    if (consortiumSize < 1) {
      throw new IllegalArgumentException("consortium size must be at least 1, was " + consortiumSize);
    }
    int needed = majority(consortiumSize);
    boolean disagreement = false;
    for (long height = own.fromHeight(); height <= own.top(); height++) {
      String mine = own.at(height);
      Map<String, Integer> others = new HashMap<>();
      for (Window peer : peers.values()) {
        String theirs = peer.at(height);
        if (theirs != null && !theirs.equals(mine)) {
          others.merge(theirs, 1, Integer::sum);
        }
      }
      if (others.isEmpty()) {
        continue;
      }
      Map.Entry<String, Integer> most = others.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
      if (most.getValue() < needed) {
        // a dissenting minority: if a majority holds this replica's block, it was committed and the dissenters
        // are the ones to drop theirs; otherwise nothing is decided yet
        long at = height;
        long holdingMine = 1 + peers.values().stream().filter(peer -> mine.equals(peer.at(at))).count();
        disagreement |= holdingMine < needed;
        continue;
      }
      if (height == own.fromHeight()) {
        return new TooDeep(most.getValue() + " of " + consortiumSize + " replicas hold block " + most.getKey()
            + " at height " + height + " where this replica holds " + mine + ", and the blocks below "
            + height + " were not compared");
      }
      List<String> dropped = new ArrayList<>(own.hashes().subList((int) (height - own.fromHeight()), own.hashes().size()));
      return new Truncate(height - 1, own.at(height - 1), dropped, most.getKey(), most.getValue());
    }
    return disagreement
        ? new Unconfirmed("some peers hold other blocks at heights this replica holds, but no " + needed + " of "
            + consortiumSize + " replicas hold the same other block")
        : new Agree();
  }
}
