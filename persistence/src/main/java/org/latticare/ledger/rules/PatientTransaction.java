package org.latticare.ledger.rules;

import org.latticare.ledger.Transaction;
import org.latticare.ledger.tx.TxBody;
import org.latticare.ledger.tx.TxType;

/**
 * A committed transaction that concerns a patient, reduced to what the patient is told: where it is on
 * the chain (block height and position, which orders a patient's notifications and serves as a
 * cursor that survives restarts), its type, hash and submitter, and the fields of its body a patient
 * must see, and when it was made ({@code timestampMillis}: the submitter's clock, which the rules hold to
 * within ten minutes before and two after its block's time). Fields the type does not have are
 * {@code null} ({@code notAfterMillis} is 0); a grant's {@code purpose} is its policy. About 200 bytes,
 * against a few kilobytes for the signed transaction.
 */
public record PatientTransaction(long height, int index, TxType type, String hash, String submitter, String recordId,
    String grantee, long notAfterMillis, String reader, String purpose, long timestampMillis) {

  public static PatientTransaction of(Transaction tx, long height, int index) {
    TxBody body = tx.body();
    String recordId = null;
    String grantee = null;
    long notAfter = 0;
    String reader = null;
    String purpose = null;
    if (body instanceof TxBody.RecordAnchored r) {
      recordId = r.recordId();
    } else if (body instanceof TxBody.AccessGranted g) {
      recordId = g.recordId();
      grantee = g.grantee();
      notAfter = g.notAfterMillis();
      purpose = g.policy();
    } else if (body instanceof TxBody.AccessRevoked r) {
      recordId = r.recordId();
      grantee = r.grantee();
    } else if (body instanceof TxBody.AccessExpired x) {
      recordId = x.recordId();
      grantee = x.grantee();
    } else if (body instanceof TxBody.RecordAccessed a) {
      recordId = a.recordId();
      reader = a.reader();
      purpose = a.purpose();
    } else if (body instanceof TxBody.RecordErased e) {
      recordId = e.recordId();
    } else if (body instanceof TxBody.BreakGlass b) {
      recordId = b.recordId();
      reader = b.clinician();
      notAfter = b.notAfterMillis();
      purpose = b.justification();
    }
    return new PatientTransaction(height, index, tx.type(), tx.hash().hex(), tx.submitter(), recordId, grantee, notAfter,
        reader, purpose, tx.timestampMillis());
  }

  /** Chain order: by height, then position in the block. */
  public boolean after(long otherHeight, int otherIndex) {
    return isAfter(height, index, otherHeight, otherIndex);
  }

  /** Whether chain position ({@code height}, {@code index}) comes after ({@code otherHeight}, {@code otherIndex}). */
  public static boolean isAfter(long height, int index, long otherHeight, int otherIndex) {
    return height > otherHeight || (height == otherHeight && index > otherIndex);
  }
}
