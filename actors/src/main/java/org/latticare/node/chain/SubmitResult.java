package org.latticare.node.chain;

import org.latticare.cluster.CborSerializable;

/**
 * What became of a submitted transaction. {@code REFUSED}: it is invalid (malformed, bad signature,
 * unknown submitter, a rule broken, a replayed nonce) and will never be committed. {@code UNAVAILABLE}:
 * the consortium could not decide now (busy, no majority); it may or may not be committed later, so a
 * client looks it up by hash before resubmitting (a resubmission with the same nonce is refused if the
 * first made it).
 */
public record SubmitResult(Outcome outcome, String transactionHash, long height, String blockHash, String reason)
    implements CborSerializable {

  public enum Outcome { COMMITTED, REFUSED, UNAVAILABLE }

  public static SubmitResult committed(String transactionHash, long height, String blockHash) {
    return new SubmitResult(Outcome.COMMITTED, transactionHash, height, blockHash, "");
  }

  public static SubmitResult refused(String transactionHash, String reason) {
    return new SubmitResult(Outcome.REFUSED, transactionHash, -1, "", reason);
  }

  public static SubmitResult unavailable(String transactionHash, String reason) {
    return new SubmitResult(Outcome.UNAVAILABLE, transactionHash, -1, "", reason);
  }
}
