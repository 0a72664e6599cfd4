package org.latticare.ledger.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.latticare.ledger.tx.TxBody;

/**
 * A ledger view that records additions on top of a base view without touching it: a block's
 * transactions are checked one after another against what the earlier ones in the same block add,
 * and nothing changes if the block is refused.
 */
final class Overlay implements LedgerView {

  private final LedgerView base;
  private final Map<String, TxBody.Identity> identities = new HashMap<>();
  private final Set<String> patients = new HashSet<>();
  private final Map<String, RecordInfo> records = new HashMap<>();
  private final Set<String> studies = new HashSet<>();
  private final Set<String> nonces = new HashSet<>();

  Overlay(LedgerView base) {
    this.base = base;
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    TxBody.Identity added = identities.get(identityId);
    return added != null ? Optional.of(added) : base.identity(identityId);
  }

  @Override
  public boolean hasPatient(String pseudonym) {
    return patients.contains(pseudonym) || base.hasPatient(pseudonym);
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    RecordInfo added = records.get(recordId);
    return added != null ? Optional.of(added) : base.record(recordId);
  }

  @Override
  public boolean hasStudy(String studyId) {
    return studies.contains(studyId) || base.hasStudy(studyId);
  }

  @Override
  public boolean nonceUsed(String submitter, long nonce) {
    return nonces.contains(LedgerState.nonceKey(submitter, nonce)) || base.nonceUsed(submitter, nonce);
  }

  @Override
  public void addIdentity(TxBody.Identity identity) {
    identities.put(identity.identityId(), identity);
  }

  @Override
  public void addPatient(String pseudonym) {
    patients.add(pseudonym);
  }

  @Override
  public void putRecord(String recordId, RecordInfo record) {
    records.put(recordId, record);
  }

  @Override
  public void addStudy(String studyId) {
    studies.add(studyId);
  }

  @Override
  public void useNonce(String submitter, long nonce) {
    nonces.add(LedgerState.nonceKey(submitter, nonce));
  }
}
