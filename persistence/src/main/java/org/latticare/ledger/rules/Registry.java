package org.latticare.ledger.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.latticare.ledger.tx.TxBody;

/** The ledger's registers — identities, patients, records, studies, used nonces — in plain collections. */
final class Registry implements LedgerView {

  final Map<String, TxBody.Identity> identities = new HashMap<>();
  final Set<String> patients = new HashSet<>();
  final Map<String, RecordInfo> records = new HashMap<>();
  final Set<String> studies = new HashSet<>();
  final Set<String> nonces = new HashSet<>();

  static String nonceKey(String submitter, long nonce) {
    return submitter + '\n' + nonce;
  }

  @Override
  public Optional<TxBody.Identity> identity(String identityId) {
    return Optional.ofNullable(identities.get(identityId));
  }

  @Override
  public boolean hasPatient(String pseudonym) {
    return patients.contains(pseudonym);
  }

  @Override
  public Optional<RecordInfo> record(String recordId) {
    return Optional.ofNullable(records.get(recordId));
  }

  @Override
  public boolean hasStudy(String studyId) {
    return studies.contains(studyId);
  }

  @Override
  public boolean nonceUsed(String submitter, long nonce) {
    return nonces.contains(nonceKey(submitter, nonce));
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
    nonces.add(nonceKey(submitter, nonce));
  }
}
