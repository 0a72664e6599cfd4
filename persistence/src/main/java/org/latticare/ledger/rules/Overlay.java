package org.latticare.ledger.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.latticare.ledger.tx.TxBody;

/**
 * A ledger view that records additions on top of a base view without touching it: a block's
 * transactions are checked one after another against what the earlier ones in the same block add,
 * and nothing changes if the block is refused.
 */
final class Overlay implements LedgerView {

  private final LedgerView base;
  private final Registry added;

  Overlay(LedgerView base) {
    this.base = base;
    this.added = new Registry(base.consortium());
  }

  @Override
  public TxBody.ConsortiumFounded consortium() {
    return base.consortium();
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    return added.identity(identityId).or(() -> base.identity(identityId));
  }

  @Override
  public Optional<String> patientOrganisation(String pseudonym) {
    return added.patientOrganisation(pseudonym).or(() -> base.patientOrganisation(pseudonym));
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    return added.record(recordId).or(() -> base.record(recordId));
  }

  @Override
  public List<String> recordsOf(String pseudonym) {
    List<String> all = new ArrayList<>(base.recordsOf(pseudonym));
    added.recordsOf(pseudonym).stream().filter(r -> !all.contains(r)).forEach(all::add);
    return all;
  }

  @Override
  public Optional<Grant> grant(String recordId, String grantee) {
    return added.grant(recordId, grantee).or(() -> base.grant(recordId, grantee));
  }

  @Override
  public Map<String, Grant> grantsOn(String recordId) {
    Map<String, Grant> all = new HashMap<>(base.grantsOn(recordId));
    all.putAll(added.grantsOn(recordId));
    return all;
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
  public void addPatient(String pseudonym, String organisation) {
    added.addPatient(pseudonym, organisation);
  }

  @Override
  public void putRecord(String recordId, RecordInfo record) {
    added.putRecord(recordId, record);
  }

  @Override
  public void putGrant(String recordId, Grant grant) {
    added.putGrant(recordId, grant);
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
