package org.latticare.ledger.rules;

/**
 * What a patient's contract and gateway know of the patient's part of the ledger: its access slice as
 * of chain height {@code height} (block time {@code timeMillis}), after the patient's first
 * {@code sequence} transactions. It is loaded whole from a replica once and then kept current by each
 * block's change, which carries only the records the block touched and the patient's transaction count
 * after the block, so that a patient with thousands of records costs one record per change, not all of
 * them, and the holder can tell the next change from a duplicate (every node's feed sends every
 * block) and from a gap (a change it has not seen yet, sent by a faster node's feed).
 */
public record PatientSlice(long height, long timeMillis, long sequence, PatientAccess access) {

  /** How a change relates to the slice. */
  public enum Fit {
    /** The change follows the slice: {@link #next} applies it. */
    NEXT,
    /** The slice already holds the change. */
    DUPLICATE,
    /** A change between the slice and this one is missing: the slice cannot take it. */
    GAP
  }

  /** Nothing known yet: no block, no transaction, no organisation. */
  public static PatientSlice none(String pseudonym) {
    return new PatientSlice(-1, 0, 0, PatientAccess.unknown(pseudonym));
  }

  /** Where a block's change for the patient fits. */
  public Fit fit(PatientChange change) {
    if (change.sequence() <= sequence) {
      return Fit.DUPLICATE;
    }
    return change.sequence() - change.transactions().size() == sequence ? Fit.NEXT : Fit.GAP;
  }

  /** The slice after block {@code blockHeight}'s change; only for a change that {@link #fit}s {@link Fit#NEXT}. */
  public PatientSlice next(long blockHeight, long blockTimeMillis, PatientChange change) {
    if (fit(change) != Fit.NEXT) {
      throw new IllegalArgumentException("the change to " + change.sequence() + " (" + change.transactions().size()
          + " transactions) does not follow the slice at " + sequence);
    }
    return new PatientSlice(Math.max(height, blockHeight), Math.max(timeMillis, blockTimeMillis), change.sequence(),
        access.merge(change.changed()));
  }

  /** The slice a replica answered with, if it is ahead of this one; else this one (a lagging replica's answer is older). */
  public PatientSlice newer(PatientSlice loaded) {
    boolean ahead = loaded.sequence() > sequence || (loaded.sequence() == sequence && loaded.height() > height);
    return ahead ? new PatientSlice(loaded.height(), Math.max(timeMillis, loaded.timeMillis()), loaded.sequence(),
        loaded.access()) : this;
  }
}
