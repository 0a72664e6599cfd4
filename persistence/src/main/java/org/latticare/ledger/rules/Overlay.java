package org.latticare.ledger.rules;

import java.util.Optional;

import org.latticare.ledger.tx.TxBody;

/**
 * A ledger view that records additions on top of a base view without touching it: a block's
 * transactions are checked one after another against what the earlier ones in the same block add,
 * and nothing changes if the block is refused.
 */
final class Overlay implements LedgerView {

  private final LedgerView base;
  private final Registry added = new Registry();

  Overlay(LedgerView base) {
    this.base = base;
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    return added.identity(identityId).or(() -> base.identity(identityId));
  }

  @Override
  public boolean hasPatient(String pseudonym) {
    return added.hasPatient(pseudonym) || base.hasPatient(pseudonym);
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    return added.record(recordId).or(() -> base.record(recordId));
  }

  @Override
  public boolean hasStudy(String studyId) {
    return added.hasStudy(studyId) || base.hasStudy(studyId);
  }

  @Override
  public boolean nonceUsed(String submitter, long nonce) {
    return added.nonceUsed(submitter, nonce) || base.nonceUsed(submitter, nonce);
  }

  @Override
  public void addIdentity(TxBody.Identity identity) {
    added.addIdentity(identity);
  }

  @Override
  public void addPatient(String pseudonym) {
    added.addPatient(pseudonym);
  }

  @Override
  public void putRecord(String recordId, RecordInfo record) {
    added.putRecord(recordId, record);
  }

  @Override
  public void addStudy(String studyId) {
    added.addStudy(studyId);
  }

  @Override
  public void useNonce(String submitter, long nonce) {
    added.useNonce(submitter, nonce);
  }
}
