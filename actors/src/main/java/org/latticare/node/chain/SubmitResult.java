package org.latticare.node.chain;

import org.latticare.cluster.CborSerializable;
import org.latticare.ledger.rules.Rejection;

/**
 * What became of a submitted transaction. {@code REFUSED}: it is invalid (malformed, bad signature,
 * unknown submitter, a rule broken, a replayed nonce) and will never be committed; {@code code} is the
 * {@link Rejection.Code}'s name. {@code UNAVAILABLE}: the consortium could not decide now (busy, no
 * majority); it may or may not be committed later, so a client looks it up by hash before
 * resubmitting (a resubmission with the same nonce is refused if the first made it); {@code code} is
 * {@link #BUSY} or {@link #UNKNOWN_OUTCOME}. {@code COMMITTED} has the code {@code COMMITTED}.
 */
public record SubmitResult(Outcome outcome, String transactionHash, long height, String blockHash, String code,
    String reason) implements CborSerializable {

  public enum Outcome { COMMITTED, REFUSED, UNAVAILABLE }

  /** A queue is full: nothing was taken; retry later. */
  public static final String BUSY = "BUSY";
  /** No answer in time: the transaction may still commit. */
  public static final String UNKNOWN_OUTCOME = "UNKNOWN_OUTCOME";

  public static SubmitResult committed(String transactionHash, long height, String blockHash) {
    return new SubmitResult(Outcome.COMMITTED, transactionHash, height, blockHash, "COMMITTED", "");
  }

  public static SubmitResult refused(String transactionHash, Rejection rejection) {
    return new SubmitResult(Outcome.REFUSED, transactionHash, -1, "", rejection.code().name(), rejection.detail());
  }

  public static SubmitResult busy(String transactionHash, String reason) {
    return new SubmitResult(Outcome.UNAVAILABLE, transactionHash, -1, "", BUSY, reason);
  }

  public static SubmitResult unknown(String transactionHash, String reason) {
    return new SubmitResult(Outcome.UNAVAILABLE, transactionHash, -1, "", UNKNOWN_OUTCOME, reason);
  }
}
