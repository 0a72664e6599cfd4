package org.latticare.ledger.rules;

import java.util.Optional;

import org.latticare.ledger.tx.TxBody;

/** What the transaction rules look up, and what applying a transaction adds. */
public interface LedgerView {

  /** A record on chain: whose it is and whether it was erased. */
  record RecordInfo(String pseudonym, boolean erased) {}

  Optional<TxBody.Identity> identity(String identityId);

  boolean hasPatient(String pseudonym);

  Optional<RecordInfo> record(String recordId);

  boolean hasStudy(String studyId);

  boolean nonceUsed(String submitter, long nonce);

  void addIdentity(TxBody.Identity identity);

  void addPatient(String pseudonym);

  void putRecord(String recordId, RecordInfo record);

  void addStudy(String studyId);

  void useNonce(String submitter, long nonce);
}
