package org.latticare.ledger.verify;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongConsumer;

import org.latticare.ledger.Block;
import org.latticare.ledger.encoding.MalformedEncodingException;
import org.latticare.ledger.rules.LedgerState;

/**
 * Checks a chain fetched from anywhere against a genesis block held locally, trusting nothing else: block 0
 * must be that genesis block byte for byte, and every later block must pass the whole validation a replica
 * applies before persisting it ({@link LedgerState#rejectBlock}): height and link, time, Merkle root and
 * transaction count, a producer listed in the genesis block and its ML-DSA-65 signature, and every
 * transaction's signature and rules against the state the blocks before it built. The first block that
 * fails is reported with the reason; nothing after it is read.
 */
public final class ChainVerifier {

  /** Where the blocks come from (an HTTP client, a replica): the canonical encoding of the block at a height. */
  @FunctionalInterface
  public interface BlockSource {
    byte[] block(long height) throws Exception;
  }

  /**
   * The outcome: {@code verified} blocks passed (the genesis block included); {@code failedAt} is the first
   * height that did not (−1 if none) and {@code reason} why; {@code headHash} the last verified block's hash.
   */
  public record Result(long verified, long failedAt, String reason, String headHash) {
    public boolean ok() {
      return failedAt < 0;
    }
  }

  private ChainVerifier() {}

  /** Verifies blocks 0 to {@code head}; {@code progress} hears each height verified. */
  public static Result verify(Block genesis, long head, BlockSource source, ForkJoinPool pool, LongConsumer progress) {
    LedgerState state;
    byte[] first;
    try {
      first = source.block(0);
    } catch (Exception e) {
      return new Result(0, 0, "block 0 could not be fetched: " + e.getMessage(), "");
    }
    if (!Arrays.equals(first, genesis.encode())) {
      return new Result(0, 0, "block 0 is not this consortium's genesis block", "");
    }
    state = LedgerState.fromGenesis(genesis);
    progress.accept(0);
    Block last = genesis;
    for (long height = 1; height <= head; height++) {
      Block block;
      try {
        block = Block.decode(source.block(height));
      } catch (MalformedEncodingException e) {
        return new Result(height, height, "block " + height + " is not a canonical block: " + e.getMessage(),
            last.hash().hex());
      } catch (Exception e) {
        return new Result(height, height, "block " + height + " could not be fetched: " + e.getMessage(),
            last.hash().hex());
      }
      if (block.height() != height) {
        return new Result(height, height, "asked for block " + height + ", got block " + block.height(),
            last.hash().hex());
      }
      Optional<String> rejected = state.rejectBlock(block, pool);
      if (rejected.isPresent()) {
        return new Result(height, height, rejected.get(), last.hash().hex());
      }
      state.append(block);
      last = block;
      progress.accept(height);
    }
    return new Result(head + 1, -1, "", last.hash().hex());
  }
}
