package org.latticare.ledger.rules;

/**
 * Why the ledger refuses a transaction, or an access decision says no: a stable machine-readable
 * {@link Code} that clients and the HTTP API rely on, and a detail for people. Modelled on
 * {@code zkp}'s {@code Refusal}: a refusal changes nothing and is an answer, never a crash.
 */
public record Rejection(Code code, String detail) {

  public Rejection {
    if (code == null || detail == null) {
      throw new IllegalArgumentException("a rejection needs a code and a detail");
    }
  }

  public static Rejection of(Code code, String detail) {
    return new Rejection(code, detail);
  }

  @Override
  public String toString() {
    return code + ": " + detail;
  }

  /** The stable codes. Never renumber or rename one: clients match on the name. */
  public enum Code {
    /** The bytes are not a canonical transaction. */
    MALFORMED,
    /** Only the genesis block founds a consortium. */
    GENESIS_ONLY,
    /** The submitter (or a named identity) is not enrolled on chain. */
    UNKNOWN_SUBMITTER,
    /** The submitter's role may not submit this transaction type or do this action. */
    ROLE_NOT_ALLOWED,
    /** The submitter's nonce was used before. */
    NONCE_REPLAYED,
    /** The transaction's timestamp is outside the window around the block's time. */
    BAD_TIMESTAMP,
    /** A signature (of the transaction, an approval or a verdict) does not verify. */
    BAD_SIGNATURE,
    /** What the transaction creates exists already. */
    ALREADY_EXISTS,
    /** What the transaction refers to (record, patient, study) does not exist. */
    NOT_FOUND,
    /** The record was erased. */
    RECORD_ERASED,
    /** A patient acts on a record that is not its own. */
    NOT_OWNER,
    /** A grant names an identity that is not enrolled. */
    UNKNOWN_GRANTEE,
    /** A revoke or expiry names a grant that was never issued. */
    GRANT_NOT_FOUND,
    /** A grant's period is not a valid future time. */
    BAD_PERIOD,
    /** A read is logged by someone other than the reader. */
    READER_MISMATCH,
    /** The caller holds no access to the record or view. */
    NO_ACCESS,
    /** The caller's grant was revoked. */
    ACCESS_REVOKED,
    /** The caller's grant has expired (by block time). */
    ACCESS_EXPIRED,
    /** An organisation's admin acts for another organisation. */
    OTHER_ORGANISATION,
    /** A consortium-level role needs the consortium's quorum of admins, not a plain enrolment. */
    QUORUM_REQUIRED,
    /** The approvals do not make the consortium's quorum. */
    QUORUM_NOT_MET,
    /** An identity verification without (enough valid) ring verdict signatures. */
    VERDICTS_REQUIRED,
    /** An identity's public keys are in no layout the ledger knows ({@code IdentityKeys}). */
    BAD_KEY,
    /** Ciphertext or a key envelope put on chain, where it could never be erased: only digests go there. */
    INLINE_CIPHERTEXT,
    /** A grant's consent is not in the canonical form, or names an action or purpose that is not a known code. */
    BAD_POLICY,
    /** A read for a purpose the caller's consent does not permit. */
    WRONG_PURPOSE,
    /** A read before the caller's consent period starts. */
    ACCESS_NOT_STARTED,
    /** A break-glass opening without a justification in words. */
    JUSTIFICATION_REQUIRED,
    /** A break-glass opening by a caller who may read the record already. */
    ALREADY_ALLOWED
  }
}
